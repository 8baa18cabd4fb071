import { memo, useEffect, useMemo, useState } from 'react';
import type { Utterance } from '../../../shared/transcript';
import { formatTime } from '../../../shared/time';
import type { ViewWindow } from '../ui/view-window';
import { speakerClass } from './useTranscript';

/** The transcript on the timeline: a row per speaker, each utterance a bar; a bar seeks. */
export const TranscriptLane = memo(function TranscriptLane(props: {
  utterances: Utterance[];
  view: ViewWindow;
  onSeek: (ms: number) => void;
}) {
  const { utterances, view, onSeek } = props;
  const [win, setWin] = useState(view.get());
  useEffect(() => view.subscribe(setWin), [view]);
  const speakers = useMemo(() => [...new Set(utterances.map((u) => u.speaker))], [utterances]);
  const span = Math.max(1, win.end - win.start);
  const pct = (ms: number) => ((ms - win.start) / span) * 100;
  return (
    <div className="lane-group transcript-lane">
      {speakers.map((speaker) => {
        const inView = utterances.filter((u) => u.speaker === speaker && u.endMs >= win.start && u.startMs <= win.end);
        return (
          <div className="lane" key={speaker}>
            <span className="lane-label" title={speaker || 'Transcript'}>
              {speaker || 'Transcript'}
            </span>
            <div className="lane-track" role="group" aria-label={`Transcript, ${speaker || 'no speaker'}`}>
              {inView.length > 400
                ? null
                : inView.map((u) => {
                    const left = Math.max(0, pct(u.startMs));
                    const width = Math.max(0.3, Math.min(100, pct(u.endMs)) - left);
                    return (
                      <button
                        key={u.id}
                        type="button"
                        tabIndex={-1}
                        className={`utterance-bar ${speakerClass(speakers, speaker)}`}
                        style={{ left: `${left}%`, width: `${width}%` }}
                        title={`${formatTime(u.startMs, false)} ${u.speaker ? `${u.speaker}: ` : ''}${u.text.slice(0, 160)}`}
                        aria-label={`${formatTime(u.startMs, false)} ${u.speaker}: ${u.text.slice(0, 80)}`}
                        onClick={() => onSeek(u.startMs)}
                      />
                    );
                  })}
            </div>
          </div>
        );
      })}
    </div>
  );
});
