import { useState } from 'react';
import type { SegmentKind } from '../../../shared/annotations';
import type { ViewWindow } from '../ui/view-window';
import { Waveform } from './Waveform';

/** The waveform, where Shift+drag draws a new segment (a plain drag seeks). */
export function WaveformArea(props: {
  media: HTMLMediaElement;
  offsetMs: number;
  channels: [Float32Array, Float32Array];
  durationMs: number;
  pxPerSec: number;
  view: ViewWindow;
  /** Whether a rater is chosen (drawing needs one). */
  canDraw: boolean;
  onDrawn: (kind: SegmentKind, startMs: number, endMs: number) => void;
  onWindow: (start: number, end: number, preview?: boolean) => void;
  onZoomWheel: (factor: number) => void;
}) {
  const { media, offsetMs, channels, durationMs, pxPerSec, view, canDraw, onDrawn, onWindow, onZoomWheel } = props;
  const [sweep, setSweep] = useState<{ from: number; to: number } | null>(null);
  return (
    <div
      className="waveform-draw"
      onPointerDownCapture={(e) => {
        // Shift+drag on the waveform draws a new segment; a plain drag seeks.
        if (!e.shiftKey || e.button !== 0 || !canDraw) return;
        e.stopPropagation();
        e.preventDefault();
        const rect = e.currentTarget.getBoundingClientRect();
        const w = view.get();
        const toMs = (x: number) =>
          Math.round(
            Math.min(durationMs, Math.max(0, w.start + ((x - rect.left) / rect.width) * (w.end - w.start))) / 100,
          ) * 100;
        const from = toMs(e.clientX);
        setSweep({ from, to: from });
        const move = (ev: PointerEvent) => setSweep({ from, to: toMs(ev.clientX) });
        const up = (ev: PointerEvent) => {
          window.removeEventListener('pointermove', move, true);
          window.removeEventListener('pointerup', up, true);
          ev.stopPropagation();
          setSweep(null);
          const to = toMs(ev.clientX);
          const [a, b] = from <= to ? [from, to] : [to, from];
          if (b - a >= 200) onDrawn('rupture', a, b);
        };
        window.addEventListener('pointermove', move, true);
        window.addEventListener('pointerup', up, true);
      }}
    >
      {sweep && (
        <div
          className="sweep"
          style={{
            left: `${((Math.min(sweep.from, sweep.to) - view.get().start) / (view.get().end - view.get().start)) * 100}%`,
            width: `${(Math.abs(sweep.to - sweep.from) / (view.get().end - view.get().start)) * 100}%`,
          }}
        />
      )}
      <Waveform
        media={media}
        offsetMs={offsetMs}
        channels={channels}
        durationMs={durationMs}
        pxPerSec={pxPerSec}
        onWindow={onWindow}
        onZoomWheel={onZoomWheel}
      />
    </div>
  );
}
