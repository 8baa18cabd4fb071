import { useState } from 'react';
import { talkFigures, type TalkActivity, type TalkWindow } from '../../../shared/talk';
import { formatDuration, formatTime } from '../../../shared/time';
import { InlineError } from '../ui/InlineError';
import type { TalkState } from './useTalk';
import { count } from '../../../shared/words';

const SILENCES = [1000, 2000, 3000, 5000, 10_000];
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** One line of talk figures for a window (the 3RS grid shows it under each segment). */
export function talkLine(w: TalkWindow): string {
  const lanes = w.lanes.map((l) => `${l.name} ${pct(l.share)}`).join(' · ');
  return `${lanes} · longest silence ${secs(w.longestSilenceMs)}${w.overlaps ? ` · ${count(w.overlaps, 'overlap')}` : ''}`;
}

/** Talk figures for windows of `windowMs` (the grid's segment length). */
export function windowsOf(activity: TalkActivity, durationMs: number, windowMs: number): TalkWindow[] {
  return talkFigures(activity, durationMs, windowMs).windows;
}

/**
 * Who speaks when, in the summary: the speakers' names for the case, the silence length, the
 * session's talk figures and the same per 5 minutes; older recordings are analysed on request.
 */
export function TalkSection(props: { state: TalkState; caseId: number; onSeek: (ms: number) => void }) {
  const { state, caseId, onSeek } = props;
  const t = state.talk;
  if (!t) return state.error ? <InlineError message={state.error} /> : null;
  return (
    <section className="talk-section" aria-labelledby="talk-heading">
      <h3 id="talk-heading">Who speaks when</h3>
      <InlineError message={state.error} onDismiss={state.clearError} />
      {t.unanalysed.length > 0 && (
        <p className="small">
          Speech not analysed yet in {t.unanalysed.map((r) => r.fileName).join(', ')} (imported before speech analysis).{' '}
          <button type="button" disabled={state.busy} onClick={() => void state.analyze()}>
            {state.busy ? 'Analysing…' : 'Analyse speech'}
          </button>
        </p>
      )}
      {!t.activity || !t.figures ? (
        t.unanalysed.length === 0 && <p className="muted small">No recording of this session has audio.</p>
      ) : (
        <>
          <p className="small muted">
            {t.activity.mode === 'channels'
              ? 'One speaker per channel of the stereo recording.'
              : t.activity.mode === 'files'
                ? 'One speaker per recorder.'
                : 'Speech against silence (the recording mixes the voices, so speakers are not told apart).'}
          </p>
          <div className="lane-names">
            {t.activity.lanes.map((l) => (
              <LaneName
                key={l.key}
                laneKey={l.key}
                name={l.name}
                onSave={(n) => void state.nameLane(caseId, l.key, n)}
              />
            ))}
            <label className="small">
              Silences from{' '}
              <select value={state.silenceMs} onChange={(e) => state.setSilenceMs(Number(e.target.value))}>
                {SILENCES.map((ms) => (
                  <option key={ms} value={ms}>
                    {ms / 1000} s
                  </option>
                ))}
              </select>
            </label>
          </div>
          <table className="small talk-table">
            <caption className="sr-only">Talk per speaker, whole session</caption>
            <thead>
              <tr>
                <th scope="col">Speaker</th>
                <th scope="col">Talk</th>
                <th scope="col">Share</th>
                <th scope="col">Turns</th>
                <th scope="col">Median turn</th>
              </tr>
            </thead>
            <tbody>
              {t.figures.session.lanes.map((l) => (
                <tr key={l.key}>
                  <th scope="row">{l.name}</th>
                  <td className="tabular">{formatDuration(l.talkMs)}</td>
                  <td className="tabular">{pct(l.share)}</td>
                  <td className="tabular">{l.turns ?? '–'}</td>
                  <td className="tabular">{l.medianTurnMs === null ? '–' : secs(l.medianTurnMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">
            Longest silence {secs(t.figures.session.longestSilenceMs)} · {count(t.figures.session.silences, 'silence')}{' '}
            ≥ {state.silenceMs / 1000} s
            {t.activity.mode !== 'voice' &&
              ` · ${count(t.figures.session.overlaps, 'overlap')} (${secs(t.figures.session.overlapMs)})`}
          </p>
          {t.figures.windows.length > 1 && (
            <table className="small talk-table">
              <caption className="sr-only">Talk per 5 minutes</caption>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  {t.figures.session.lanes.map((l) => (
                    <th scope="col" key={l.key}>
                      {l.name}
                    </th>
                  ))}
                  <th scope="col">Longest silence</th>
                  {t.activity.mode !== 'voice' && <th scope="col">Overlaps</th>}
                </tr>
              </thead>
              <tbody>
                {t.figures.windows.map((w) => (
                  <tr key={w.startMs}>
                    <th scope="row">
                      <button type="button" className="link tabular" onClick={() => onSeek(w.startMs)}>
                        {formatTime(w.startMs, false)}
                      </button>
                    </th>
                    {w.lanes.map((l) => (
                      <td className="tabular" key={l.key}>
                        {pct(l.share)}
                      </td>
                    ))}
                    <td className="tabular">{secs(w.longestSilenceMs)}</td>
                    {t.activity!.mode !== 'voice' && <td className="tabular">{w.overlaps}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

const LANE_KINDS: Record<string, string> = { left: 'left channel', right: 'right channel', voice: 'speech lane' };

/** A lane's name for the case; stored when the field is left or Enter pressed. */
function LaneName(props: { laneKey: string; name: string; onSave: (name: string) => void }) {
  const { laneKey, name, onSave } = props;
  const [value, setValue] = useState(name);
  const kind = LANE_KINDS[laneKey] ?? `recorder ${laneKey.slice(4)}`;
  return (
    <label className="small">
      Name of the {kind}{' '}
      <input
        value={value}
        maxLength={60}
        placeholder="e.g. Therapist"
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => value.trim() !== name && onSave(value)}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
      />
    </label>
  );
}
