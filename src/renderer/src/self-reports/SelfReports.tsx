import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { ResponseView } from '../../../shared/contract';
import type { Answers, Instrument } from '../../../shared/instruments';
import { api, errorMessage } from '../api';

/** A response in a sentence: what a clinician wants to see first. */
export function describeResponse(r: ResponseView, inst: Instrument | undefined): string {
  const a = r.answers;
  if (typeof a.tension === 'boolean') {
    if (!a.tension) return 'no tension reported';
    const parts = ['tension reported'];
    if (typeof a.tense === 'number') parts.push(`how tense ${a.tense}/5`);
    if (typeof a.resolved === 'number') parts.push(`resolved ${a.resolved}/5`);
    return parts.join(', ');
  }
  const subs = Object.entries(r.scores.subscales)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v!.toFixed(1)}`);
  if (subs.length) return `${subs.join(', ')}${r.scores.total !== null ? `; total ${r.scores.total.toFixed(1)}` : ''}`;
  const answered = Object.values(a).filter((v) => v !== null && v !== '').length;
  return `${answered} of ${inst?.items.length ?? '?'} items answered`;
}

/** Post-session questionnaires of this session: the list, and a form to enter one. */
export function SelfReports(props: { sessionId: number; raters: Rater[]; current: Rater | null }) {
  const { sessionId, raters, current } = props;
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [list, setList] = useState<ResponseView[]>([]);
  const [raterId, setRaterId] = useState<number | ''>(current?.id ?? '');
  const [key, setKey] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const load = useCallback(() => {
    api.call('responses:list', { sessionId }).then(setList, (e: unknown) => setError(errorMessage(e)));
  }, [sessionId]);
  useEffect(() => {
    api.call('instruments:list', {}).then(setInstruments, (e: unknown) => setError(errorMessage(e)));
    load();
  }, [load]);
  const rater = raters.find((r) => r.id === raterId);
  const usable = useMemo(
    () => instruments.filter((i) => !rater || i.perspectives.includes(rater.role)),
    [instruments, rater],
  );
  const inst = usable.find((i) => i.key === key) ?? usable[0];

  const save = async () => {
    if (!rater || !inst) return setError('Choose who answered and the questionnaire.');
    try {
      await api.call('responses:save', {
        sessionId,
        raterId: rater.id,
        perspective: rater.role,
        instrument: inst.key,
        answers,
      });
      setError(null);
      setSaved(`Saved ${inst.name} for ${rater.name}.`);
      setAnswers({});
      load();
    } catch (e) {
      setSaved(null);
      setError(errorMessage(e));
    }
  };

  return (
    <div className="self-reports" aria-label="Self-reports">
      <ul className="responses" aria-label="Questionnaires of this session">
        {list.length === 0 && <li className="muted small">No questionnaires for this session yet.</li>}
        {list.map((r) => (
          <li key={r.id}>
            <strong>{r.perspective}</strong> {r.raterName}:{' '}
            {describeResponse(
              r,
              instruments.find((i) => i.key === r.instrument),
            )}
            <div className="muted small">{instruments.find((i) => i.key === r.instrument)?.name ?? r.instrument}</div>
          </li>
        ))}
      </ul>
      <form
        className="questionnaire"
        aria-label="Enter a questionnaire"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>Enter a questionnaire</h3>
        <label>
          Answered by
          <select
            aria-label="Answered by"
            value={raterId}
            onChange={(e) => setRaterId(e.target.value ? Number(e.target.value) : '')}
          >
            <option value="">choose…</option>
            {/* One's own answers; a supervisor may also enter a patient's or therapist's paper form. */}
            {raters
              .filter(
                (r) =>
                  !r.consensus &&
                  (r.id === current?.id ||
                    (current?.role === 'supervisor' && (r.role === 'patient' || r.role === 'therapist'))),
              )
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} ({r.role})
                </option>
              ))}
          </select>
        </label>
        {rater && (
          <label>
            Questionnaire
            <select aria-label="Questionnaire" value={inst?.key ?? ''} onChange={(e) => setKey(e.target.value)}>
              {usable.map((i) => (
                <option key={i.key} value={i.key}>
                  {i.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {rater &&
          inst?.items.map((item) => (
            <fieldset key={item.id} className="item">
              <legend>{item.text}</legend>
              {item.type === 'yesno' &&
                (['yes', 'no'] as const).map((v) => (
                  <label key={v} className="checkbox">
                    <input
                      type="radio"
                      name={item.id}
                      checked={answers[item.id] === (v === 'yes')}
                      onChange={() => setAnswers({ ...answers, [item.id]: v === 'yes' })}
                    />
                    {v}
                  </label>
                ))}
              {item.type === 'scale' &&
                Array.from({ length: item.max - item.min + 1 }, (_, k) => item.min + k).map((v) => (
                  <label key={v} className="checkbox" title={item.anchors[String(v)]}>
                    <input
                      type="radio"
                      name={item.id}
                      checked={answers[item.id] === v}
                      onChange={() => setAnswers({ ...answers, [item.id]: v })}
                    />
                    {v}
                  </label>
                ))}
              {item.type === 'text' && (
                <textarea
                  aria-label={item.text}
                  rows={2}
                  value={String(answers[item.id] ?? '')}
                  onChange={(e) => setAnswers({ ...answers, [item.id]: e.target.value })}
                />
              )}
            </fieldset>
          ))}
        {rater && (
          <button type="submit" className="primary">
            Save questionnaire
          </button>
        )}
        {saved && (
          <p role="status" className="notice-inline">
            {saved}
          </p>
        )}
        {error && (
          <p role="alert" className="inline-error">
            {error}
          </p>
        )}
        {inst?.note && <p className="hint">{inst.note}</p>}
      </form>
    </div>
  );
}
