const KEYS: [string, string][] = [
  ['Space', 'Play / pause'],
  ['← / →', 'Back / forward 1 s'],
  ['Shift + ← / →', 'Back / forward 5 s'],
  [', / .', 'Previous / next frame'],
  ['J / K / L', 'Slower / normal speed / faster (0.5×–2×)'],
  ['Home / End', 'Jump to start / end'],
  ['+ / − / 0', 'Zoom in / out / whole session'],
  ['Ctrl or ⌘ + wheel', 'Zoom the waveform'],
  ['T', 'Type a time to jump to'],
  ['B', 'Blur the video (for screen sharing)'],
  ['R / P / C', 'Open, then close, a rupture / repair / comment at the playhead'],
  ['Shift + drag', 'Draw a segment on the waveform (or drag on your lane)'],
  ['Enter', 'Edit the selected segment'],
  ['Delete', 'Delete the selected segment'],
  ['[ / ]', 'Choose the start / end edge of the selected segment'],
  ['Alt + ← / →', 'Nudge that edge by 100 ms (with Shift: one frame)'],
  ['Ctrl/⌘ + Z', 'Undo (with Shift: redo)'],
  ['Esc', 'Drop an open segment or close a form'],
  ['?', 'Show or hide this sheet'],
];

export function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <aside className="shortcuts" aria-label="Keyboard shortcuts">
      <div className="shortcuts-head">
        <h2>Keyboard shortcuts</h2>
        <button type="button" onClick={onClose} aria-label="Close shortcuts">
          Close
        </button>
      </div>
      <dl>
        {KEYS.map(([k, v]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
