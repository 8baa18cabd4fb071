import { Fragment } from 'react';
import type { Segment } from '../../../shared/annotations';
import { apa } from '../../../shared/agreement/format';
import type { AgreementKind, IntervalView, ResponseView, SessionAgreementView } from '../../../shared/contract';
import type { Instrument } from '../../../shared/instruments';
import { formatTime } from '../../../shared/time';
import { describeResponse } from '../self-reports/SelfReports';
import { MethodsText } from '../ui/MethodsText';

/** A figure and, when there is one, its 95 % interval on a line of its own. */
function Figure({ value, ci, note }: { value: number | null | undefined; ci?: IntervalView; note?: string }) {
  const interval = ci && ci.lower !== null && ci.upper !== null ? `[${apa(ci.lower)}, ${apa(ci.upper)}]` : null;
  return (
    <td className="tabular" title={note}>
      {value === null || value === undefined ? '–' : apa(value)}
      {interval && value !== null && value !== undefined && <span className="ci">{interval}</span>}
    </td>
  );
}

export const KIND_LABELS: Record<AgreementKind, string> = {
  rupture: 'Ruptures',
  repair: 'Repairs',
  all: 'Ruptures and repairs',
};

/** "Compare: ruptures, repairs, or both", for the comparison and the study view alike. */
export function KindChoice({
  kind,
  onKind,
  className,
}: {
  kind: AgreementKind;
  onKind: (kind: AgreementKind) => void;
  className?: string;
}) {
  return (
    <label className={className}>
      Compare
      <select value={kind} onChange={(e) => onKind(e.target.value as AgreementKind)}>
        {(Object.keys(KIND_LABELS) as AgreementKind[]).map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Why a figure or an interval is missing, in words under the table (never only in a tooltip). */
function agreementNotes(agreement: SessionAgreementView): string[] {
  const out = new Set<string>();
  if (agreement.bootstrap?.note) out.add(agreement.bootstrap.note);
  for (const p of agreement.pairs)
    for (const [key, note] of Object.entries(p.notes))
      if (key.startsWith('ci.') || key.endsWith('.any') || key === 'pabak') out.add(`${p.raters.join(' · ')}: ${note}`);
  return [...out];
}

/**
 * Pair-wise agreement of the submitted ratings (any code) on ruptures, repairs or both, with 95 %
 * intervals, the repair status of the ruptures both raters marked, and a methods text.
 */
export function AgreementTable({
  agreement,
  kind,
  onKind,
}: {
  agreement: SessionAgreementView | null;
  kind: AgreementKind;
  onKind: (kind: AgreementKind) => void;
}) {
  const unit = agreement ? `${agreement.unit_ms / 1000}-s units` : '1-s units';
  const window = agreement ? `onsets within ${agreement.window_ms / 1000} s` : 'onsets within 3 s';
  const notes = agreement ? agreementNotes(agreement) : [];
  const resolution = agreement?.resolution.filter((r) => r.matched_ruptures > 0) ?? [];
  return (
    <>
      <div className="agreement-head">
        <h2>Agreement</h2>
        <KindChoice kind={kind} onKind={onKind} className="small" />
      </div>
      {agreement && agreement.pairs.length === 0 && <p className="muted small">Needs two submitted ratings.</p>}
      {agreement && agreement.pairs.length > 0 && (
        <>
          <table className="pairs small">
            <thead>
              <tr>
                <th scope="col">Raters</th>
                <th scope="col" title={`Time-unit kappa, any rupture, ${unit}`}>
                  κ units
                </th>
                <th scope="col" title={`Event agreement 2M/(Na+Nb), ${window}`}>
                  events
                </th>
                <th scope="col" title="Prevalence- and bias-adjusted kappa">
                  PABAK
                </th>
                <th scope="col" title="Mean overlap of matched ruptures">
                  IoU
                </th>
              </tr>
            </thead>
            <tbody>
              {agreement.pairs.map((p) => (
                <tr key={p.raters.join('|')}>
                  <th scope="row">
                    {/* Each name whole: the narrow panel wraps between them, never inside one. */}
                    {p.raters.map((r, i) => (
                      <Fragment key={r}>
                        <span className="nowrap">
                          {r}
                          {i < p.raters.length - 1 && ' ·'}
                        </span>
                        {i < p.raters.length - 1 && ' '}
                      </Fragment>
                    ))}
                  </th>
                  <Figure
                    value={p.time_unit_kappa.any}
                    ci={p.ci?.time_unit_kappa_any}
                    note={p.notes['time_unit_kappa.any']}
                  />
                  <Figure
                    value={p.event_agreement.any}
                    ci={p.ci?.event_agreement_any}
                    note={p.notes['event_agreement.any']}
                  />
                  <Figure value={p.pabak} ci={p.ci?.pabak} />
                  <Figure value={p.mean_iou.any ?? null} />
                </tr>
              ))}
            </tbody>
          </table>
          {agreement.bootstrap && (
            <p className="muted small">
              In brackets: 95 % intervals from a block bootstrap over time ({agreement.bootstrap.blocks} blocks of{' '}
              {agreement.bootstrap.block_ms / 1000} s, {agreement.bootstrap.resamples} resamples).
            </p>
          )}
          {notes.length > 0 && (
            <ul className="agreement-notes small" aria-label="Why a figure or interval is missing">
              {notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {resolution.length > 0 && (
            <p className="small" aria-label="Repair status">
              {resolution.map((r) => (
                <span key={r.raters.join('|')} className="block">
                  Repair status of the {r.matched_ruptures} rupture{r.matched_ruptures === 1 ? '' : 's'} both{' '}
                  {r.raters.join(' and ')} marked: the same for{' '}
                  {r.agreement === null ? '–' : `${Math.round(r.agreement * 100)} %`}
                  {r.kappa !== null && ` (κ = ${apa(r.kappa)})`}.
                </span>
              ))}
            </p>
          )}
          <MethodsText text={agreement.methods} />
        </>
      )}
    </>
  );
}

/** The supervisor's controls for the consensus lane. */
export function ConsensusControls(props: {
  isSupervisor: boolean;
  /** The chosen segments (X chooses all at the playhead; unticking one here leaves it out). */
  chosen: { id: number; label: string }[];
  onToggle: (id: number) => void;
  hasLane: boolean;
  onAccept: () => void;
  onClear: () => void;
  onUndo: () => void;
}) {
  const { isSupervisor, chosen, onToggle, hasLane, onAccept, onClear, onUndo } = props;
  const picked = chosen.length;
  return (
    <>
      <h2>Consensus</h2>
      {isSupervisor ? (
        <>
          <p className="small">
            {picked === 0
              ? 'Click one or more segments of the same kind, or press X for those at the playhead.'
              : `${picked} segment${picked === 1 ? '' : 's'} chosen.`}
          </p>
          {picked > 0 && (
            <fieldset className="chosen-list">
              <legend className="sr-only">Chosen segments</legend>
              {chosen.map((c) => (
                <label key={c.id} className="checkbox small">
                  <input type="checkbox" checked onChange={() => onToggle(c.id)} /> {c.label}
                </label>
              ))}
            </fieldset>
          )}
          <p className="muted small">Double-click a consensus segment to edit it; drag it to move or resize.</p>
          <div className="form-actions">
            <button type="button" className="primary" disabled={picked === 0} onClick={onAccept}>
              {picked > 1 ? 'Merge into consensus' : 'Accept into consensus'}
            </button>
            <button type="button" disabled={picked === 0} onClick={onClear}>
              Clear
            </button>
            <button type="button" disabled={!hasLane} onClick={onUndo} aria-label="Undo consensus change">
              Undo
            </button>
          </div>
        </>
      ) : (
        <p className="muted small">Only a supervisor builds the consensus lane.</p>
      )}
    </>
  );
}

/** The patient's and therapist's self-reports above the timeline, beside what the observers marked. */
export function SelfReportStrip(props: {
  selfReports: ResponseView[];
  instruments: Instrument[];
  observerRuptures: Segment[];
}) {
  const { selfReports, instruments, observerRuptures } = props;
  return (
    <section className="self-strip" aria-label="Self-reports">
      {selfReports.length === 0 ? (
        <span className="muted">No patient or therapist self-report for this session.</span>
      ) : (
        selfReports.map((r) => (
          <span key={r.id} className={`self-report ${r.perspective}`}>
            <strong>{r.perspective === 'patient' ? 'Patient' : 'Therapist'}</strong> ({r.raterName}):{' '}
            {describeResponse(
              r,
              instruments.find((i) => i.key === r.instrument),
            )}
          </span>
        ))
      )}
      {observerRuptures.length > 0 && (
        <span className="self-report observers">
          <strong>Observers</strong>: {observerRuptures.length} rupture{observerRuptures.length === 1 ? '' : 's'}{' '}
          marked, first at {formatTime(Math.min(...observerRuptures.map((s) => s.startMs)), false)}
        </span>
      )}
    </section>
  );
}
