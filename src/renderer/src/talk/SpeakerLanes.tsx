import { memo, useMemo, useRef } from 'react';
import type { Span, TalkActivity } from '../../../shared/talk';
import { formatTime } from '../../../shared/time';
import type { Frame } from '../coding/lane-geometry';
import { useSlidingFrame } from '../ui/useSlidingFrame';
import type { ViewWindow } from '../ui/view-window';

/**
 * Spans in the laid-out stretch as pixel boxes, neighbours closer than a pixel merged (an hour's
 * lane stays light at any zoom).
 */
function barsIn(spans: Span[], f: Frame): { left: number; width: number; span: Span }[] {
  const out: { from: number; to: number; span: Span }[] = [];
  for (const s of spans) {
    if (s[1] < f.from || s[0] > f.to) continue;
    const last = out[out.length - 1];
    if (last && s[0] - last.to < f.msPerPx) last.to = s[1];
    else out.push({ from: s[0], to: s[1], span: s });
  }
  return out.map((b) => ({
    left: (b.from - f.from) / f.msPerPx,
    width: Math.max(2, (b.to - b.from) / f.msPerPx),
    span: b.span,
  }));
}

/**
 * Who speaks when, under the waveform: a lane per speaker (or one speech lane) with its speech
 * stretches, and a row marking long silences and overlapping talk. A mark seeks to its start.
 * S / Shift+S and O / Shift+O step through silences and overlaps from the keyboard.
 */
export const SpeakerLanes = memo(function SpeakerLanes(props: {
  activity: TalkActivity;
  view: ViewWindow;
  onSeek: (ms: number) => void;
}) {
  const { activity, view, onSeek } = props;
  const ref = useRef<HTMLDivElement>(null);
  // As the coding lanes: laid out for a stretch three windows wide and slid with the waveform;
  // playback that scrolls the waveform does not re-render these lanes every frame.
  const { frame } = useSlidingFrame(view, ref);
  const lanes = useMemo(
    () => activity.lanes.map((l) => ({ lane: l, bars: barsIn(l.stretches, frame) })),
    [activity, frame],
  );
  const silences = useMemo(() => barsIn(activity.silences, frame), [activity, frame]);
  const overlaps = useMemo(() => barsIn(activity.overlaps, frame), [activity, frame]);
  return (
    <div className="lane-group speaker-lanes" aria-label="Who speaks when" ref={ref}>
      {lanes.map(({ lane, bars }, i) => (
        <div className="lane" key={lane.key}>
          <span className="lane-label">{lane.name}</span>
          <div className="lane-track" role="group" aria-label={`Speech of ${lane.name}`}>
            {bars.map((b) => (
              <span key={b.span[0]} className={`speech-bar spk-${i % 6}`} style={{ left: b.left, width: b.width }} />
            ))}
          </div>
        </div>
      ))}
      <div className="lane talk-marks">
        <span className="lane-label">
          Silences ≥ {activity.silenceMs / 1000} s{activity.mode === 'voice' ? '' : ' · overlaps'}
        </span>
        <div className="lane-track" role="group" aria-label="Long silences and overlapping talk">
          {silences.map((b) => (
            <button
              key={`s${b.span[0]}`}
              type="button"
              tabIndex={-1}
              className="silence-mark"
              style={{ left: b.left, width: b.width }}
              title={`Silence ${formatTime(b.span[0], false)}, ${((b.span[1] - b.span[0]) / 1000).toFixed(1)} s`}
              aria-label={`Silence at ${formatTime(b.span[0], false)}, ${((b.span[1] - b.span[0]) / 1000).toFixed(1)} seconds`}
              onClick={() => onSeek(b.span[0])}
            />
          ))}
          {overlaps.map((b) => (
            <button
              key={`o${b.span[0]}`}
              type="button"
              tabIndex={-1}
              className="overlap-mark"
              style={{ left: b.left, width: b.width }}
              title={`Overlapping talk ${formatTime(b.span[0], false)}, ${((b.span[1] - b.span[0]) / 1000).toFixed(1)} s`}
              aria-label={`Overlapping talk at ${formatTime(b.span[0], false)}`}
              onClick={() => onSeek(b.span[0])}
            />
          ))}
        </div>
      </div>
    </div>
  );
});
