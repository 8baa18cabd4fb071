import { memo, useEffect, useMemo, useState } from 'react';
import type { Span, TalkActivity } from '../../../shared/talk';
import { formatTime } from '../../../shared/time';
import type { ViewWindow } from '../ui/view-window';

/** Spans in the view as percentages, neighbours closer than a pixel or so merged (a 60-minute lane stays light). */
function barsInView(spans: Span[], start: number, end: number): { left: number; width: number; span: Span }[] {
  const len = Math.max(1, end - start);
  const merge = len * 0.0015;
  const out: { from: number; to: number; span: Span }[] = [];
  for (const s of spans) {
    if (s[1] < start || s[0] > end) continue;
    const last = out[out.length - 1];
    if (last && s[0] - last.to < merge) last.to = s[1];
    else out.push({ from: s[0], to: s[1], span: s });
  }
  return out.map((b) => {
    const left = Math.max(0, ((b.from - start) / len) * 100);
    return { left, width: Math.max(0.2, Math.min(100, ((b.to - start) / len) * 100) - left), span: b.span };
  });
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
  const [win, setWin] = useState(view.get());
  useEffect(() => view.subscribe(setWin), [view]);
  const lanes = useMemo(
    () => activity.lanes.map((l) => ({ lane: l, bars: barsInView(l.stretches, win.start, win.end) })),
    [activity, win.start, win.end],
  );
  const silences = useMemo(() => barsInView(activity.silences, win.start, win.end), [activity, win.start, win.end]);
  const overlaps = useMemo(() => barsInView(activity.overlaps, win.start, win.end), [activity, win.start, win.end]);
  return (
    <div className="lane-group speaker-lanes" aria-label="Who speaks when">
      {lanes.map(({ lane, bars }, i) => (
        <div className="lane" key={lane.key}>
          <span className="lane-label">{lane.name}</span>
          <div className="lane-track" role="group" aria-label={`Speech of ${lane.name}`}>
            {bars.map((b) => (
              <span
                key={b.span[0]}
                className={`speech-bar spk-${i % 6}`}
                style={{ left: `${b.left}%`, width: `${b.width}%` }}
              />
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
              style={{ left: `${b.left}%`, width: `${b.width}%` }}
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
              style={{ left: `${b.left}%`, width: `${b.width}%` }}
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
