import { useEffect, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { AssignmentView, CalibrationView } from '../../../shared/contract';
import { formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';

const f = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(2));

/** A rater against a reference rater: per-code agreement, and ruptures missed or added. */
export function Calibration(props: { sessionId: number; raters: Rater[] }) {
  const { sessionId, raters } = props;
  const [raterId, setRaterId] = useState<number | ''>(raters[0]?.id ?? '');
  const [refId, setRefId] = useState<number | ''>(
    raters.find((r) => r.role === 'supervisor')?.id ?? raters[1]?.id ?? '',
  );
  const [result, setResult] = useState<CalibrationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setResult(null);
    if (raterId === '' || refId === '' || raterId === refId) return;
    api.call('agreement:calibration', { sessionId, raterId, referenceId: refId }).then(
      (r) => {
        setResult(r);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [sessionId, raterId, refId]);
  const pick = (label: string, value: number | '', set: (v: number | '') => void) => (
    <select aria-label={label} value={value} onChange={(e) => set(e.target.value ? Number(e.target.value) : '')}>
      <option value="">choose…</option>
      {raters.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </select>
  );
  const codes = result?.pair ? Object.keys(result.pair.event_agreement) : [];
  return (
    <section className="calibration" aria-label="Calibration">
      <h2>Calibration</h2>
      <div className="filters">
        {pick('Rater to calibrate', raterId, setRaterId)} <span className="muted small">against</span>{' '}
        {pick('Reference rater', refId, setRefId)}
      </div>
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
      {result?.pair && (
        <>
          <table className="pairs small">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">κ units</th>
                <th scope="col">events</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((c) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  <td className="tabular">{f(result.pair!.time_unit_kappa[c])}</td>
                  <td className="tabular">{f(result.pair!.event_agreement[c])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">
            <strong>Missed</strong> ({result.missed.length}):{' '}
            {result.missed.map((m) => `${formatTime(m.startMs, false)} ${m.codes.join('+')}`).join(', ') || 'none'}
          </p>
          <p className="small">
            <strong>Added</strong> ({result.added.length}):{' '}
            {result.added.map((m) => `${formatTime(m.startMs, false)} ${m.codes.join('+')}`).join(', ') || 'none'}
          </p>
        </>
      )}
    </section>
  );
}

/** Who rates this session, by when, and whether they have submitted. */
export function Assignments(props: { sessionId: number; raters: Rater[] }) {
  const { sessionId, raters } = props;
  const [list, setList] = useState<AssignmentView[]>([]);
  const [raterId, setRaterId] = useState<number | ''>('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('assignments:list', { sessionId }).then(setList, (e: unknown) => setError(errorMessage(e)));
  }, [sessionId]);
  const run = (p: Promise<AssignmentView[]>) =>
    p.then(
      (l) => {
        setList(l);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  return (
    <section className="assignments" aria-label="Assignments">
      <h2>Assigned raters</h2>
      <ul className="small">
        {list.length === 0 && <li className="muted">Nobody is assigned to this session.</li>}
        {list.map((a) => (
          <li key={a.raterId}>
            {a.name} ({a.role}) {a.dueDate ? `· due ${a.dueDate}` : ''} ·{' '}
            {a.status === 'submitted' ? 'submitted' : a.status === 'draft' ? 'in progress' : 'not started'}{' '}
            <button
              type="button"
              className="link"
              onClick={() => void run(api.call('assignments:remove', { sessionId, raterId: a.raterId }))}
              aria-label={`Unassign ${a.name}`}
            >
              remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="filters"
        aria-label="Assign a rater"
        onSubmit={(e) => {
          e.preventDefault();
          if (raterId === '') return setError('Choose a rater to assign.');
          void run(api.call('assignments:set', { sessionId, raterId, dueDate: due || null }));
        }}
      >
        <select
          aria-label="Rater to assign"
          value={raterId}
          onChange={(e) => setRaterId(e.target.value ? Number(e.target.value) : '')}
        >
          <option value="">rater…</option>
          {raters.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.role})
            </option>
          ))}
        </select>
        <input type="date" aria-label="Due date" value={due} onChange={(e) => setDue(e.target.value)} />
        <button type="submit">Assign</button>
      </form>
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
    </section>
  );
}
