import { useEffect, useState } from 'react';
import type { SessionSummary } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import { formatDuration, formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';

/** Ruptures by type and marker, rupture time, share repaired, time to repair, unrepaired list. */
export function SummaryPanel(props: {
  sessionId: number;
  raterId: number | null;
  version: unknown;
  codes: Map<string, Code>;
  onSeek: (ms: number) => void;
}) {
  const { sessionId, raterId, version, codes } = props;
  const [s, setS] = useState<SessionSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('sessions:summary', { sessionId, raterId }).then(setS, (e: unknown) => setError(errorMessage(e)));
  }, [sessionId, raterId, version]);
  if (error) return <p role="alert">{error}</p>;
  if (!s) return null;
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
  return (
    <div className="summary" aria-label="Session summary">
      <dl className="figures">
        <div>
          <dt>Ruptures</dt>
          <dd className="tabular">{s.ruptures}</dd>
        </div>
        <div>
          <dt>Rupture time</dt>
          <dd className="tabular">{formatDuration(s.totalRuptureMs)}</dd>
        </div>
        <div>
          <dt>Repaired</dt>
          <dd className="tabular">
            {s.ruptures === 0
              ? '–'
              : `${s.repairStatusCounts.repaired} of ${s.ruptures}${s.repairStatusCounts.partly ? `, ${s.repairStatusCounts.partly} partly` : ''}`}
          </dd>
        </div>
        <div>
          <dt>Median time to repair</dt>
          <dd className="tabular">{s.medianMsToRepair === null ? '–' : formatDuration(s.medianMsToRepair)}</dd>
        </div>
      </dl>
      {s.repairStatusCounts.partly > 0 && (
        <p className="small muted">
          Resolution score {pct(s.shareRepaired)}: a partly repaired rupture counts as half.
        </p>
      )}
      <p className="small">
        withdrawal {s.byType.withdrawal} · confrontation {s.byType.confrontation} · both {s.byType.both} · repairs{' '}
        {s.repairs} · comment marks on the lanes {s.comments} ({s.unresolvedComments} open; feedback threads are in the
        Feedback tab)
      </p>
      {Object.keys(s.byMarker).length > 0 && (
        <table className="small">
          <caption className="sr-only">Ruptures by marker</caption>
          <tbody>
            {Object.entries(s.byMarker)
              .sort((a, b) => b[1] - a[1])
              .map(([k, n]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{codes.get(k)?.label}</td>
                  <td className="tabular">{n}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {s.unrepaired.length > 0 && (
        <>
          <h3>Not repaired</h3>
          <ul className="unrepaired">
            {s.unrepaired.map((u) => (
              <li key={u.id}>
                <button type="button" className="link" onClick={() => props.onSeek(u.startMs)}>
                  {formatTime(u.startMs, false)} {u.codes.join('+') || 'rupture'}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
