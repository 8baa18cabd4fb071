import { useEffect, useState } from 'react';
import { apa } from '../../../shared/agreement/format';
import type { AgreementKind, StudyAgreementView } from '../../../shared/contract';
import { KindChoice } from '../compare/ComparePanels';
import type { CaseWithSessions } from '../../../shared/domain';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { MethodsText } from '../ui/MethodsText';

const FIGURES = [
  { key: 'time_unit_kappa_any', label: 'Time-unit kappa (κ)', hint: 'any code, per time unit' },
  { key: 'event_agreement_any', label: 'Event agreement', hint: '2M / (N₁ + N₂), onsets within the window' },
  { key: 'pabak', label: 'PABAK', hint: 'prevalence- and bias-adjusted kappa over the units' },
] as const;

/**
 * Agreement across sessions (a study, or one case): every session's submitted ratings pair by
 * pair, the means with 95 % intervals from a bootstrap over sessions, and a methods text.
 * What a rater may see follows blind rating, as everywhere.
 */
export function StudyView({ onBack }: { onBack: () => void }) {
  const [cases, setCases] = useState<CaseWithSessions[]>([]);
  const [caseCode, setCaseCode] = useState('');
  const [unitS, setUnitS] = useState(1);
  const [windowS, setWindowS] = useState(3);
  const [resamples, setResamples] = useState(1000);
  const [seed, setSeed] = useState(1);
  const [kind, setKind] = useState<AgreementKind>('rupture');
  const [study, setStudy] = useState<StudyAgreementView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.call('cases:list', {}).then(setCases, (e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(() => {
    let alive = true;
    setBusy(true);
    api
      .call('agreement:study', {
        ...(caseCode ? { caseCode } : {}),
        unitMs: Math.round(unitS * 1000),
        windowMs: Math.round(windowS * 1000),
        toleranceMs: 0,
        bootstrap: resamples,
        seed,
        kind,
      })
      .then(
        (s) => {
          if (!alive) return;
          setStudy(s);
          setError(null);
        },
        (e: unknown) => alive && setError(errorMessage(e)),
      )
      .finally(() => alive && setBusy(false));
    return () => {
      alive = false;
    };
  }, [caseCode, unitS, windowS, resamples, seed, kind]);

  const rows = study?.per_session.filter((s) => s.pairs.length > 0) ?? [];
  return (
    <div className="library study-view">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>Agreement across sessions</h1>
        <span className="spacer" />
        <span className="muted small" role="status">
          {busy ? 'Computing…' : ''}
        </span>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      <form className="study-controls" aria-label="What to compute" onSubmit={(e) => e.preventDefault()}>
        <label>
          Sessions of
          <select value={caseCode} onChange={(e) => setCaseCode(e.target.value)}>
            <option value="">all cases</option>
            {cases.map((c) => (
              <option key={c.id} value={c.code}>
                case {c.code}
              </option>
            ))}
          </select>
        </label>
        <KindChoice kind={kind} onKind={setKind} />
        <label>
          Time unit
          <select value={unitS} onChange={(e) => setUnitS(Number(e.target.value))}>
            {[0.5, 1, 2, 5].map((u) => (
              <option key={u} value={u}>
                {u} s
              </option>
            ))}
          </select>
        </label>
        <label>
          Onset window
          <select value={windowS} onChange={(e) => setWindowS(Number(e.target.value))}>
            {[1, 2, 3, 5, 10].map((w) => (
              <option key={w} value={w}>
                {w} s
              </option>
            ))}
          </select>
        </label>
        <label>
          Resamples
          <select value={resamples} onChange={(e) => setResamples(Number(e.target.value))}>
            {[0, 1000, 2000, 5000].map((r) => (
              <option key={r} value={r}>
                {r === 0 ? 'none (no intervals)' : r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            step={1}
            value={seed}
            onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
          />
        </label>
      </form>
      {study && (
        <section className="perspectives-table" aria-label="Mean agreement">
          <h2>
            {study.sessions_with_pairs} of {study.sessions} session{study.sessions === 1 ? '' : 's'} with two or more
            submitted ratings · {study.pairs} rater pair{study.pairs === 1 ? '' : 's'}
          </h2>
          {study.pairs === 0 ? (
            <p className="muted">
              No session has two submitted ratings yet: agreement needs two raters of one session.
            </p>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Figure (mean over pairs)</th>
                    <th scope="col">Mean</th>
                    <th scope="col">95 % interval</th>
                  </tr>
                </thead>
                <tbody>
                  {FIGURES.map((f) => {
                    const ci = study.mean_ci?.[f.key];
                    return (
                      <tr key={f.key}>
                        <th scope="row" title={f.hint}>
                          {f.label}
                        </th>
                        <td className="tabular">{apa(study.mean[f.key])}</td>
                        <td className="tabular">
                          {ci && ci.lower !== null && ci.upper !== null ? `[${apa(ci.lower)}, ${apa(ci.upper)}]` : '–'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p className="muted small">
                {study.bootstrap
                  ? `Intervals: bootstrap over sessions (whole sessions drawn with replacement; units within a session are not independent), ${study.bootstrap.resamples} resamples, seed ${study.bootstrap.seed}.`
                  : 'No intervals: choose a number of resamples.'}
              </p>
              {Object.keys(study.notes).length > 0 && (
                <ul className="agreement-notes small" aria-label="Why a figure or interval is missing">
                  {Object.entries(study.notes).map(([key, note]) => (
                    <li key={key}>{note}</li>
                  ))}
                </ul>
              )}
              {study.resolution.matched_ruptures > 0 && (
                <p aria-label="Repair status">
                  Repair status of the {study.resolution.matched_ruptures} rupture
                  {study.resolution.matched_ruptures === 1 ? '' : 's'} both raters of a pair marked: the same for{' '}
                  {study.resolution.agreement === null ? '–' : `${Math.round(study.resolution.agreement * 100)} %`}
                  {study.resolution.kappa !== null && ` (κ = ${apa(study.resolution.kappa)})`}.
                </p>
              )}
              <MethodsText text={study.methods} />
            </>
          )}
        </section>
      )}
      {rows.length > 0 && (
        <section className="perspectives-table" aria-label="Per session">
          <h2>Per session</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Raters</th>
                <th scope="col">κ units</th>
                <th scope="col">Events</th>
                <th scope="col">PABAK</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((s) =>
                s.pairs.map((p, i) => (
                  <tr key={`${s.session_id}-${p.raters.join('|')}`}>
                    <th scope="row">
                      {i === 0 ? (
                        <a href={`#/compare/${s.session_id}`}>
                          {s.case} · session {s.number}
                        </a>
                      ) : (
                        <span className="sr-only">
                          {s.case} · session {s.number}
                        </span>
                      )}
                    </th>
                    <td>{p.raters.join(' · ')}</td>
                    <td className="tabular">{apa(p.time_unit_kappa_any)}</td>
                    <td className="tabular">{apa(p.event_agreement_any)}</td>
                    <td className="tabular">{apa(p.pabak)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
