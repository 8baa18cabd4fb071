import type { Segment } from '../../../shared/annotations';
import type { ResponseView, SessionAgreementView } from '../../../shared/contract';
import type { Instrument } from '../../../shared/instruments';
import { formatTime } from '../../../shared/time';
import { describeResponse } from '../self-reports/SelfReports';

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : v.toFixed(2);
}

/** Pair-wise agreement of the submitted ratings (any rupture). */
export function AgreementTable({ agreement }: { agreement: SessionAgreementView | null }) {
  return (
    <>
      <h2>Agreement (ruptures)</h2>
      {agreement && agreement.pairs.length === 0 && <p className="muted small">Needs two submitted ratings.</p>}
      {agreement && agreement.pairs.length > 0 && (
        <table className="pairs small">
          <thead>
            <tr>
              <th scope="col">Raters</th>
              <th scope="col" title="Time-unit kappa, any rupture, 1-second units">
                κ units
              </th>
              <th scope="col" title="Event agreement 2M/(Na+Nb), onsets within 3 s">
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
                <th scope="row">{p.raters.join(' · ')}</th>
                <td className="tabular" title={p.notes['time_unit_kappa.any']}>
                  {fmt(p.time_unit_kappa.any)}
                </td>
                <td className="tabular" title={p.notes['event_agreement.any']}>
                  {fmt(p.event_agreement.any)}
                </td>
                <td className="tabular">{fmt(p.pabak)}</td>
                <td className="tabular">{fmt(p.mean_iou.any ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
