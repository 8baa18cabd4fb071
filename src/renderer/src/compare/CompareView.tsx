import { useCallback, useEffect, useMemo, useState } from 'react';
import { ruptureStatuses } from '../../../shared/annotation-logic';
import type { Rater, Role, SessionAnnotations } from '../../../shared/annotations';
import type { Code, Codebook } from '../../../shared/codebook';
import type { ChannelInput, ResponseView, SessionAgreementView } from '../../../shared/contract';
import type { SessionDetail } from '../../../shared/domain';
import type { Instrument } from '../../../shared/instruments';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { useFixedWindow } from '../ui/view-window';
import { Assignments, Calibration } from './Calibration';
import { AgreementTable, ConsensusControls, SelfReportStrip } from './ComparePanels';
import { disagreementBands } from './bands';
import { Lanes } from '../coding/Lanes';
import { SegmentForm, draftFrom, type Draft } from '../coding/SegmentForm';

const ORDER: Role[] = ['observer', 'supervisor', 'trainee', 'therapist', 'patient'];

/**
 * The comparison: every submitted rater's lanes on one timeline, grouped by perspective, with
 * bands where they disagree on rupture presence, the patient's and therapist's self-reports on
 * top, pair-wise agreement beside it, and the consensus lane a supervisor builds at the bottom.
 */
export function CompareView({ sessionId, onBack }: { sessionId: number; onBack: () => void }) {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [data, setData] = useState<SessionAnnotations | null>(null);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [me, setMe] = useState<Rater | null>(null);
  const [codebook, setCodebook] = useState<Codebook | null>(null);
  const [responses, setResponses] = useState<ResponseView[]>([]);
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [agreement, setAgreement] = useState<SessionAgreementView | null>(null);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [win, setWin] = useState<{ start: number; end: number } | null>(null);
  const [editing, setEditing] = useState<Draft | null>(null);

  const reload = useCallback(async () => {
    try {
      const [d, a, rs, cur, cb, resp, inst, agr] = await Promise.all([
        api.call('sessions:get', { id: sessionId }),
        api.call('segments:list', { sessionId }),
        api.call('raters:list', {}),
        api.call('raters:current', {}),
        api.call('codebook:get', {}),
        api.call('responses:list', { sessionId }),
        api.call('instruments:list', {}),
        api.call('agreement:session', { sessionId }),
      ]);
      setDetail(d);
      setData(a);
      setRaters(rs);
      setMe(cur);
      setCodebook(cb);
      setResponses(resp);
      setInstruments(inst);
      setAgreement(agr);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [sessionId]);
  useEffect(() => void reload(), [reload]);

  const durationMs = useMemo(
    () => Math.max(1, ...(detail?.recordings.map((r) => r.durationMs + Math.max(0, r.offsetMs)) ?? [1])),
    [detail],
  );
  const view = win ?? { start: 0, end: durationMs };
  const fixedView = useFixedWindow(view);
  const codes = useMemo(
    () => new Map<string, Code>((codebook?.definition.codes ?? []).map((c) => [c.key, c])),
    [codebook],
  );
  const consensus = raters.find((r) => r.consensus) ?? null;
  const submitted = useMemo(
    () => new Set((data?.ratings ?? []).filter((r) => r.status === 'submitted').map((r) => r.raterId)),
    [data],
  );
  const groups = useMemo(
    () =>
      ORDER.map((role) => ({
        role,
        raters: raters.filter((r) => r.role === role && submitted.has(r.id) && !r.consensus),
      })).filter((g) => g.raters.length > 0),
    [raters, submitted],
  );
  const compared = groups.flatMap((g) => g.raters);
  const bands = useMemo(
    () =>
      data
        ? disagreementBands(
            data,
            compared.map((r) => r.id),
            durationMs,
          )
        : [],
    [data, compared, durationMs],
  );
  const statuses = useMemo(() => new Map(ruptureStatuses(data?.segments ?? []).map((s) => [s.ruptureId, s])), [data]);
  const isSupervisor = me?.role === 'supervisor';
  const selfReports = responses.filter((r) => r.perspective === 'patient' || r.perspective === 'therapist');

  const accept = async () => {
    try {
      await api.call('consensus:accept', { segmentIds: [...picked] });
      setPicked(new Set());
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  /** Edits a consensus segment (moved, resized or recoded); undoable with the consensus lane's Undo. */
  const saveConsensus = async (input: ChannelInput<'segments:update'>): Promise<boolean> => {
    try {
      await api.call('segments:update', input);
      await reload();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };
  const undoConsensus = async () => {
    if (!consensus) return;
    try {
      setData(await api.call('segments:undo', { sessionId, raterId: consensus.id }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const zoom = (f: number) => {
    const mid = (view.start + view.end) / 2;
    const half = Math.min(durationMs / 2, Math.max(5_000, ((view.end - view.start) / 2) * f));
    const start = Math.max(0, Math.min(durationMs - 2 * half, mid - half));
    setWin({ start, end: start + 2 * half });
  };
  const observerRuptures = (data?.segments ?? []).filter(
    (s) => s.kind === 'rupture' && compared.some((r) => r.id === s.raterId && r.role === 'observer'),
  );

  if (!detail || !data) {
    return (
      <div className="player">
        <InlineError message={error} />
      </div>
    );
  }
  return (
    <div className="compare">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the session">
          ← Session
        </button>
        <h1>
          Compare · {detail.case.code} · Session {detail.session.number}
        </h1>
        <span className="spacer" />
        <span className="muted">
          {me ? `Viewing as ${me.name} (${me.role})` : 'Choose who you are in the session view'}
        </span>
        <button type="button" onClick={() => zoom(0.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(2)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setWin(null)}>
          Whole session
        </button>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      <SelfReportStrip selfReports={selfReports} instruments={instruments} observerRuptures={observerRuptures} />
      <div className="compare-body">
        <div className="compare-timeline">
          {compared.length === 0 && (
            <p className="muted empty-line">
              No submitted ratings you may see yet. Raters submit from the session view; a supervisor sees every
              submitted rating, others after submitting their own.
            </p>
          )}
          <div className="bands-host">
            {groups.map((g) => (
              <div key={g.role} className="perspective-group" aria-label={`Perspective ${g.role}`}>
                <h2>
                  {g.role === 'observer'
                    ? 'Observers'
                    : g.role === 'supervisor'
                      ? 'Supervisor'
                      : g.role === 'trainee'
                        ? 'Trainee'
                        : g.role === 'therapist'
                          ? 'Therapist'
                          : 'Patient'}
                </h2>
                <Lanes
                  segments={data.segments}
                  raters={g.raters}
                  currentRaterId={null}
                  codes={codes}
                  statuses={statuses}
                  view={fixedView}
                  durationMs={durationMs}
                  selectedId={null}
                  selectedIds={picked}
                  pending={null}
                  playheadMs={0}
                  onSelect={(id) => {
                    if (id === null) return;
                    setPicked((p) => {
                      const next = new Set(p);
                      if (next.has(id)) next.delete(id);
                      else next.add(id);
                      return next;
                    });
                  }}
                  onOpen={() => undefined}
                  onSeek={() => undefined}
                  onMove={() => undefined}
                  onDrawn={() => undefined}
                />
              </div>
            ))}
            <div className="bands" aria-hidden="true">
              {bands
                .filter((b) => b.end > view.start && b.start < view.end)
                .map((b) => (
                  <div
                    key={b.start}
                    className="band"
                    style={{
                      left: `${((b.start - view.start) / (view.end - view.start)) * 100}%`,
                      width: `${((b.end - b.start) / (view.end - view.start)) * 100}%`,
                    }}
                  />
                ))}
            </div>
          </div>
          <div className="perspective-group consensus" aria-label="Consensus">
            <h2>Consensus</h2>
            {consensus ? (
              <Lanes
                segments={data.segments}
                raters={[consensus]}
                currentRaterId={isSupervisor ? consensus.id : null}
                codes={codes}
                statuses={statuses}
                view={fixedView}
                durationMs={durationMs}
                selectedId={editing?.id ?? null}
                pending={null}
                playheadMs={0}
                onSelect={() => undefined}
                onOpen={(id) => {
                  const seg = data.segments.find((x) => x.id === id);
                  if (seg && isSupervisor) setEditing(draftFrom(seg));
                }}
                onSeek={() => undefined}
                onMove={(id, startMs, endMs) => void saveConsensus({ id, startMs, endMs })}
                onDrawn={() => undefined}
              />
            ) : (
              <p className="muted small">
                {isSupervisor
                  ? 'Click segments above, then accept or merge them into the consensus.'
                  : 'A supervisor builds the consensus lane.'}
              </p>
            )}
          </div>
          {editing && codebook && (
            <SegmentForm
              key={editing.id ?? 'new'}
              draft={editing}
              codebook={codebook.definition}
              ruptures={data.segments.filter((x) => x.kind === 'rupture' && x.raterId === consensus?.id)}
              onSave={(d) =>
                void saveConsensus({
                  id: d.id!,
                  startMs: d.startMs,
                  endMs: d.endMs,
                  codes: d.codes,
                  rating: d.kind === 'comment' ? null : d.rating,
                  stage: d.kind === 'repair' ? d.stage : null,
                  tags: d.tags,
                  note: d.note,
                  ...(d.kind === 'rupture' ? { ruptureType: d.ruptureType } : {}),
                }).then((ok) => ok && setEditing(null))
              }
              onCancel={() => setEditing(null)}
            />
          )}
          <p className="muted small legend">
            <span className="band-swatch" /> raters disagree on whether a rupture is present (1-second units)
          </p>
        </div>
        <aside className="side-panel compare-side" aria-label="Agreement">
          <AgreementTable agreement={agreement} />
          <ConsensusControls
            isSupervisor={isSupervisor}
            picked={picked.size}
            hasLane={consensus !== null}
            onAccept={() => void accept()}
            onClear={() => setPicked(new Set())}
            onUndo={() => void undoConsensus()}
          />
          {compared.length > 1 && <Calibration sessionId={sessionId} raters={compared} />}
          {isSupervisor && <Assignments sessionId={sessionId} raters={raters.filter((r) => !r.consensus)} />}
        </aside>
      </div>
    </div>
  );
}
