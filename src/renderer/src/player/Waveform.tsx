import { memo, useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';

interface Props {
  media: HTMLMediaElement;
  /** Detail peaks as [top, bottom] magnitudes. */
  channels: [Float32Array, Float32Array];
  durationMs: number;
  /** Zoom in pixels per second. */
  pxPerSec: number;
  onWindow: (start: number, end: number) => void;
  onZoomWheel: (factor: number) => void;
}

function colors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    waveColor: v('--wave', '#8a8f98'),
    progressColor: v('--wave-played', '#4a6d8c'),
    cursorColor: v('--playhead', '#d55e00'),
  };
}

/**
 * The zoomable waveform, drawn by wavesurfer.js from stored peaks: clicking or dragging here
 * seeks the video, and playing moves the waveform. It never decodes the file.
 */
export const Waveform = memo(function Waveform({
  media,
  channels,
  durationMs,
  pxPerSec,
  onWindow,
  onZoomWheel,
}: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const [drawn, setDrawn] = useState(false);
  const latest = useRef({ onWindow, onZoomWheel, pxPerSec });
  latest.current = { onWindow, onZoomWheel, pxPerSec };

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    performance.mark('waveform-create');
    // Wavesurfer gets no media element: it only draws. We move its playhead from the video on
    // each animation frame and seek the video on its clicks, so that none of its drawing runs
    // inside a seek (with the element attached, a far seek took ~65 ms longer).
    const ws = WaveSurfer.create({
      container,
      peaks: [channels[0].slice(), channels[1].slice()],
      duration: durationMs / 1000,
      height: 112,
      normalize: true,
      ...colors(),
      cursorWidth: 2,
      minPxPerSec: latest.current.pxPerSec,
      autoScroll: true,
      autoCenter: true,
      dragToSeek: true,
    });
    wsRef.current = ws;
    /** Tells the lanes and the overview which stretch of the session is in view. */
    const reportWindow = () => {
      const scroller = ws.getWrapper().parentElement;
      const total = ws.getWrapper().scrollWidth || 1;
      const visible = scroller?.clientWidth ?? total;
      const scroll = ws.getScroll();
      latest.current.onWindow((scroll / total) * durationMs, (Math.min(total, scroll + visible) / total) * durationMs);
    };
    const offs = [
      ws.on('ready', () => performance.mark('waveform-ready')),
      ws.on('interaction', (t: number) => {
        media.currentTime = Math.max(0, Math.min(t, durationMs / 1000));
      }),
      ws.on('redrawcomplete', () => {
        performance.mark('waveform-drawn');
        setDrawn(true);
      }),
      ws.on('scroll', (start: number, end: number) => latest.current.onWindow(start * 1000, end * 1000)),
      ws.on('zoom', () => reportWindow()),
      ws.on('redrawcomplete', () => reportWindow()),
      ws.on('resize', () => reportWindow()),
    ];
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => ws.setOptions(colors());
    scheme.addEventListener('change', onScheme);
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      latest.current.onZoomWheel(e.deltaY < 0 ? 1.25 : 0.8);
    };
    container.addEventListener('wheel', onWheel, { passive: false });
    // Follow the video: smooth centring while playing, a jump only when the playhead leaves view.
    let raf = 0;
    let shown = -1;
    let shownPlaying = false;
    const follow = () => {
      raf = requestAnimationFrame(follow);
      if (media.seeking || !ws.getDecodedData()) return;
      const t = media.currentTime;
      const playing = !media.paused;
      if (t === shown && playing === shownPlaying) return;
      shown = t;
      shownPlaying = playing;
      ws.getRenderer().renderProgress(Math.min(1, t / (durationMs / 1000)), playing);
      container.setAttribute('aria-valuenow', String(Math.round(t)));
    };
    raf = requestAnimationFrame(follow);
    return () => {
      cancelAnimationFrame(raf);
      offs.forEach((off) => off());
      scheme.removeEventListener('change', onScheme);
      container.removeEventListener('wheel', onWheel);
      ws.destroy();
      wsRef.current = null;
      setDrawn(false);
    };
  }, [media, channels, durationMs]);

  useEffect(() => {
    const ws = wsRef.current;
    if (!ws || !ws.getDecodedData()) return;
    ws.zoom(pxPerSec);
  }, [pxPerSec]);

  return (
    <div className="waveform-block">
      <div
        ref={containerRef}
        className="waveform"
        role="slider"
        aria-label="Waveform"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        data-drawn={drawn ? 'true' : 'false'}
      />
    </div>
  );
});
