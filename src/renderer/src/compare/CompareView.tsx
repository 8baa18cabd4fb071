import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ruptureStatuses } from '../../../shared/annotation-logic';
import { formatTime } from '../../../shared/time';
import type { Role } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import { SegmentForm } from '../coding/SegmentForm';
import { editFields } from '../coding/draft';
import { ShellTimeline } from '../player/ShellTimeline';
import { Shortcuts } from '../player/Shortcuts';
import { CompactToggle, useLayoutPrefs, Workspace } from '../ui/Workspace';
import { Stage } from '../player/Stage';
import { onTimeupdate } from '../player/playback-loop';
import type { Command } from '../player/key-bindings';
import { useKeyBindings } from '../player/useKeyBindings';
import { usePlayerShell } from '../player/usePlayerShell';
import { InlineError } from '../ui/InlineError';
import { Assignments, Calibration } from './Calibration';
import { AgreementTable, ConsensusControls, SelfReportStrip } from './ComparePanels';
import { CompareLanes } from './CompareLanes';
import { StretchAgreement } from './StretchAgreement';
import { disagreementBands } from './bands';
import { useCompareData } from './useCompareData';
import { useConsensus } from './useConsensus';

const ORDER: Role[] = ['observer', 'supervisor', 'trainee', 'therapist', 'patient'];
/** Context played before and after a disagreement. */
const CONTEXT_MS = 2000;

/**
 * The comparison, as a player: the video and waveform with the same ruler, zoom, pan, keys and
 * playhead as the review player, every submitted rater's lanes grouped by perspective under it
 * with bands where they disagree, the consensus lane a supervisor builds (also from the keyboard:
 * X chooses the segments at the playhead, A accepts or merges them), and agreement figures for
 * the whole session and for the stretch in view.
 */
export function CompareView({ sessionId, onBack }: { sessionId: number; onBack: () => void }) {
  const shell = usePlayerShell(sessionId);
  const { detail, error: loadError, primary, secondaries, durationMs, media, mediaRef, view } = shell;
  const { waveChannels, waveNote, blurred, setTimeError } = shell;
  const { playhead, mediaError, seekMs, clock, now } = shell;
  const { onWindow } = shell;
  const compareData = useCompareData(sessionId);
  const { data, setData, raters, me, codebook, responses, instruments, agreement, kind, setKind } = compareData;
  const { error, setError, reload } = compareData;
  const [help, setHelp] = useState(false);
  const layout = useLayoutPrefs('compare');
  const [status, setStatus] = useState('');
  const stopAt = useRef<number | null>(null);

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
  const compared = useMemo(() => groups.flatMap((g) => g.raters), [groups]);
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

  // A disagreement plays with a little context, then stops.
  useEffect(() => {
    if (!media || !clock) return;
    const onTime = () => {
      if (stopAt.current !== null && clock.nowMs() >= stopAt.current) {
        stopAt.current = null;
        media.pause();
      }
    };
    return onTimeupdate(media, onTime);
  }, [media, clock]);
  const playStretch = useCallback(
    (from: number, to: number) => {
      if (!media) return;
      seekMs(Math.max(0, from));
      stopAt.current = Math.min(durationMs, to);
      void media.play().catch(() => undefined);
      // Keep the stretch in view.
      const w = view.get();
      const span = w.end - w.start;
      if (from < w.start || to > w.end) {
        const start = Math.max(0, Math.min(durationMs - span, from - span * 0.2));
        onWindow(start, start + span);
      }
    },
    [media, seekMs, durationMs, view, onWindow],
  );
  const jumpToBand = (dir: 1 | -1) => {
    const t = now();
    const band =
      dir === 1 ? bands.find((b) => b.start > t + CONTEXT_MS) : [...bands].reverse().find((b) => b.start < t - 1);
    if (!band) return setStatus(dir === 1 ? 'No disagreement after this point.' : 'No disagreement before this point.');
    setStatus(`Disagreement ${bands.indexOf(band) + 1} of ${bands.length}.`);
    playStretch(band.start - CONTEXT_MS, band.end + CONTEXT_MS);
  };
  const consensusActions = useConsensus({
    sessionId,
    data,
    setData,
    compared,
    consensus,
    isSupervisor,
    now,
    reload,
    setError,
    setStatus,
  });
  const { picked, setPicked, editing, setEditing, togglePick, pickHere, accept } = consensusActions;
  const { saveConsensus, undoConsensus, onOpenConsensus, onMoveConsensus } = consensusActions;

  const chosenList = useMemo(() => {
    const names = new Map(raters.map((r) => [r.id, r.name]));
    return (data?.segments ?? [])
      .filter((x) => picked.has(x.id))
      .map((x) => ({
        id: x.id,
        label: `${names.get(x.raterId) ?? 'rater'} · ${x.codes.join('+') || x.kind} ${formatTime(x.startMs, false)}–${formatTime(x.endMs, false)}`,
      }));
  }, [data, picked, raters]);
  const idle = () => undefined;
  const run: Record<Command, () => void> = {
    ...shell.transportKeys(),
    nextDisagreement: () => jumpToBand(1),
    prevDisagreement: () => jumpToBand(-1),
    pickHere,
    acceptPicked: () => void (isSupervisor ? accept() : setStatus('Only a supervisor builds the consensus lane.')),
    help: () => setHelp((h) => !h),
    // Coding keys belong to the review player.
    markRupture: idle,
    markRepair: idle,
    markComment: idle,
    nextUnread: idle,
    nextAngle: idle,
    nextSilence: idle,
    prevSilence: idle,
    nextOverlap: idle,
    prevOverlap: idle,
    editSelected: idle,
    deleteSelected: idle,
    edgeStart: idle,
    edgeEnd: idle,
    nudgeBack: idle,
    nudgeForward: idle,
    nudgeFrameBack: idle,
    nudgeFrameForward: idle,
    undo: () => void (isSupervisor && undoConsensus()),
    redo: idle,
  };
  useKeyBindings(run, () => {
    setHelp(false);
    setPicked(new Set());
    setTimeError(null);
  });

  if (loadError || (!detail && error)) {
    return (
      <div className="player">
        <header className="toolbar">
          <button type="button" onClick={onBack}>
            ← Session
          </button>
        </header>
        <InlineError message={loadError ?? error} />
      </div>
    );
  }
  if (!detail) return <div className="player loading" aria-busy="true" />;
  const observerRuptures = (data?.segments ?? []).filter(
    (s) => s.kind === 'rupture' && compared.some((r) => r.id === s.raterId && r.role === 'observer'),
  );
  return (
    <div className="player compare">
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
        <button type="button" onClick={() => jumpToBand(-1)} title="Shift+D" disabled={bands.length === 0}>
          ◀ Disagreement
        </button>
        <button type="button" onClick={() => jumpToBand(1)} title="D" disabled={bands.length === 0}>
          Disagreement ▶
        </button>
        <button type="button" onClick={() => setHelp((h) => !h)} aria-label="Keyboard shortcuts" title="?">
          ?
        </button>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      <SelfReportStrip selfReports={selfReports} instruments={instruments} observerRuptures={observerRuptures} />
      <Workspace
        layout={layout}
        sideLabel="Agreement panel"
        stage={
          <Stage
            primary={primary}
            secondaries={secondaries}
            media={media}
            mediaRef={mediaRef}
            blurred={blurred}
            mediaError={mediaError}
            scrubUrl={shell.scrubUrl}
            scrubUrlOf={shell.scrubUrlOf}
          />
        }
        side={
          <>
            {editing && codebook && data && (
              <SegmentForm
                key={editing.id ?? 'new'}
                draft={editing}
                codebook={codebook.definition}
                ruptures={data.segments.filter((x) => x.kind === 'rupture' && x.raterId === consensus?.id)}
                onSave={(d) => void saveConsensus({ id: d.id!, ...editFields(d) }).then((ok) => ok && setEditing(null))}
                onCancel={() => setEditing(null)}
              />
            )}
            <aside className="side-panel compare-side" aria-label="Agreement">
              <AgreementTable agreement={agreement} kind={kind} onKind={setKind} />
              {data && <StretchAgreement data={data} raters={compared} view={view} />}
              <ConsensusControls
                isSupervisor={isSupervisor}
                chosen={chosenList}
                onToggle={togglePick}
                hasLane={consensus !== null}
                onAccept={() => void accept()}
                onClear={() => setPicked(new Set())}
                onUndo={() => void undoConsensus()}
              />
              {compared.length > 1 && <Calibration sessionId={sessionId} raters={compared} />}
              {isSupervisor && <Assignments sessionId={sessionId} raters={raters.filter((r) => !r.consensus)} />}
            </aside>
          </>
        }
      >
        <ShellTimeline shell={shell} canDraw={false} onDrawn={idle} extra={<CompactToggle layout={layout} />}>
          <p className="muted small compare-status" role="status">
            {status ||
              (compared.length < 2
                ? 'No two submitted ratings you may see yet. Raters submit from the session view; a supervisor sees every submitted rating, others after submitting their own.'
                : `${bands.length} stretch${bands.length === 1 ? '' : 'es'} of disagreement (shaded) · D plays the next · X chooses the segments at the playhead · A accepts them`)}
          </p>
          <div className="lanes-scroll" role="region" aria-label="Lanes" tabIndex={0}>
            {/* Laid out once the stretch in view is known (the waveform's window), not first for the
                whole session: with six raters that first layout of every segment cost more than the rest. */}
            {data && (waveChannels || waveNote || !primary?.hasAudio) && (
              <CompareLanes
                data={data}
                groups={groups}
                consensus={consensus}
                raters={raters}
                isSupervisor={isSupervisor}
                codes={codes}
                statuses={statuses}
                view={view}
                durationMs={durationMs}
                bands={bands}
                picked={picked}
                playhead={playhead}
                editingId={editing?.id ?? null}
                onPick={togglePick}
                onOpenConsensus={onOpenConsensus}
                onMoveConsensus={onMoveConsensus}
                onSeek={seekMs}
              />
            )}
          </div>
        </ShellTimeline>
      </Workspace>
      {help && <Shortcuts onClose={() => setHelp(false)} />}
    </div>
  );
}
