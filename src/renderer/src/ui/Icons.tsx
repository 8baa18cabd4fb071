/** Small inline icons: system fonts lack some media glyphs, and SVG needs no font at all. */
const common = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, fill: 'currentColor' } as const;

export const IconToStart = () => (
  <svg {...common}>
    <rect x="2" y="2" width="2" height="12" />
    <path d="M14 2 5 8l9 6z" />
  </svg>
);
export const IconToEnd = () => (
  <svg {...common}>
    <rect x="12" y="2" width="2" height="12" />
    <path d="M2 2l9 6-9 6z" />
  </svg>
);
export const IconPlay = () => (
  <svg {...common}>
    <path d="M4 2l10 6-10 6z" />
  </svg>
);
export const IconPause = () => (
  <svg {...common}>
    <rect x="3" y="2" width="3.5" height="12" />
    <rect x="9.5" y="2" width="3.5" height="12" />
  </svg>
);
export const IconFrameBack = () => (
  <svg {...common}>
    <path d="M11 2 4 8l7 6z" />
  </svg>
);
export const IconFrameForward = () => (
  <svg {...common}>
    <path d="M5 2l7 6-7 6z" />
  </svg>
);
