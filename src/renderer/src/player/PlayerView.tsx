import { useCallback, useMemo, useState } from 'react';
import type { Segment } from '../../../shared/annotations';
import { Lanes } from '../coding/Lanes';
import { api } from '../api';
import { SegmentForm } from '../coding/SegmentForm';
import { useAnnotations } from '../coding/useAnnotations';
import { InlineError } from '../ui/InlineError';
import type { Command } from './key-bindings';
import { useKeyBindings } from './useKeyBindings';
import { Shortcuts } from './Shortcuts';
import { ShellTimeline } from './ShellTimeline';
import { SidePanel } from './SidePanel';
import { PlayerHeader } from './PlayerHeader';
import { Stage } from './Stage';
import { LanesToolbar } from '../coding/LanesToolbar';
import { FeedbackLane } from '../feedback/FeedbackLane';
import { usePlayerFeedback } from '../feedback/usePlayerFeedback';
import { useCoding } from '../coding/useCoding';
import { usePlayerShell } from './usePlayerShell';
import { InteropDialog } from '../interop/InteropDialog';
import { TranscriptLane } from '../interop/TranscriptLane';
import { useTranscript } from '../interop/useTranscript';
import { nextSpan, type Span } from '../../../shared/talk';
import { SpeakerLanes } from '../talk/SpeakerLanes';
import { useTalk } from '../talk/useTalk';
import { useTrailing } from '../ui/useTrailing';
import { count } from '../../../shared/words';
import { CompactToggle, useLayoutPrefs, Workspace } from '../ui/Workspace';
import { quickKind } from '../../../shared/codebook';

const EMPTY: Segment[] = [];
/** How long the side panel waits for edits to pause before it follows them. */
const SIDE_TRAILS_MS = 120;

/** Moves the focus into the open segment form's first field (Enter on a mark just closed). */
function focusForm() {
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>('.segment-form input[role="combobox"], .segment-form textarea')?.focus(),
  );
}

export function PlayerView({ sessionId, onBack }: { sessionId: number; onBack: () => void }) {
  const shell = usePlayerShell(sessionId);
  const { detail, error, primaryId, setPrimaryId, load, primary, secondaries, durationMs, fps } = shell;
  const { media, mediaRef, clock, view, blurred, setBlurred } = shell;
  const { setTimeError, loop, loopSegment } = shell;
  const { playhead, mediaError, seekMs } = shell;
  const [help, setHelp] = useState(false);
  const [interop, setInterop] = useState(false);
  const [transcriptNonce, setTranscriptNonce] = useState(0);
  const transcript = useTranscript(sessionId, transcriptNonce);
  // Who speaks when; reloaded when the recordings change (an offset moves the lanes).
  const talk = useTalk(sessionId, detail?.recordings);
  const openInterop = useCallback(() => setInterop(true), []);
  const [markError, setMarkError] = useState<string | null>(null);
  // Asked once the recordings are known (the waveform's peaks are asked for first).
  const ann = useAnnotations(sessionId, detail !== null);
  const codebookDef = ann.codebook?.definition;
  const fb = usePlayerFeedback(
    sessionId,
    ann.rater,
    seekMs,
    ann.data?.ratings.find((r) => r.raterId === ann.rater?.id)?.status,
  );
  const {
    mySegments,
    selectedId,
    setSelectedId,
    pending,
    setPending,
    draft,
    setDraft,
    formKey,
    formFocus,
    formFresh,
    setFormFocus,
    setEdge,
    openDraft,
    mark,
    saveDraft,
    editSegment,
    moveSegment,
    nudge,
  } = useCoding({
    ann,
    media,
    clock,
    durationMs,
    fps,
    onNoRater: setMarkError,
    onComment: fb.takesPart ? fb.newComment : undefined,
  });
  // Rebuilt only when the statuses are (an edit that cannot change them keeps the same list).
  const ruptureStatus = ann.data?.ruptureStatus;
  const statuses = useMemo(() => new Map((ruptureStatus ?? []).map((x) => [x.ruptureId, x])), [ruptureStatus]);
  const raterList = ann.data?.raters;
  const laneRaters = useMemo(() => {
    const others = (raterList ?? []).filter((r) => r.id !== ann.rater?.id);
    return ann.rater ? [ann.rater, ...others] : others;
  }, [raterList, ann.rater]);
  // The side panel trails the lanes: an edit shows on the timeline at once, and the list and
  // summary follow a tenth of a second after the last change, at low priority (a held key nudging
  // a segment renders them once, and the store's answer never waits behind them).
  // One trailing value for all of them: one render of the panel, not one per input.
  const sideNow = useMemo(
    () => ({ segments: ann.data?.segments ?? EMPTY, statuses, raters: laneRaters, version: ann.data }),
    [ann.data, statuses, laneRaters],
  );
  const side = useTrailing(sideNow, SIDE_TRAILS_MS, (shown) => shown.version === null);
  // Narrow, stable props: an edit re-renders the lanes, not the header, toolbar or side panel.
  const ownRating = ann.data?.ratings.find((r) => r.raterId === ann.rater?.id);
  // Asked on Submit: what the rating still lacks (no segments, an empty grid, no self-report).
  const emptyParts = useCallback(async () => {
    const me = ann.rater;
    if (!me) return [];
    const out: string[] = [];
    const mine = (ann.data?.segments ?? []).filter((x) => x.raterId === me.id);
    if (!mine.length) out.push('no segment marked');
    // Marks stored without a code (Esc on a fresh mark), still to be coded.
    const uncoded = mine.filter((x) => x.kind !== 'comment' && x.codes.length === 0).length;
    if (uncoded) out.push(`${count(uncoded, 'mark')} without a code`);
    try {
      const grid = await api.call('grid:get', { sessionId, raterId: me.id });
      const filled = grid.cells.filter(
        (c) => c.codes.length || c.withdrawalSignificance !== null || c.confrontationSignificance !== null,
      ).length;
      if (grid.cells.length && filled === 0)
        out.push(`the 3RS grid (${grid.cells.length} ${grid.cells.length === 1 ? 'cell' : 'cells'}, none filled)`);
      if (grid.therapistContribution === null || grid.resolutionExtent === null) out.push("the grid's session ratings");
    } catch {
      // No grid for this rater's role: nothing to say about it.
    }
    try {
      const responses = await api.call('responses:list', { sessionId });
      if (!responses.some((r) => r.raterId === me.id) && (me.role === 'patient' || me.role === 'therapist'))
        out.push('your self-report');
    } catch {
      // Responses hidden from this viewer: nothing to say.
    }
    return out;
  }, [ann.rater, ann.data, sessionId]);
  const layout = useLayoutPrefs('player');
  // The codebook's quick keys: a key opens (then closes) a segment with its code.
  const quick = useMemo(() => {
    const m = new Map<string, { kind: 'rupture' | 'repair'; code: string }>();
    for (const c of codebookDef?.codes ?? []) {
      const kind = quickKind(c);
      if (c.quickKey && kind && !c.retired) m.set(c.quickKey, { kind, code: c.key });
    }
    return m;
  }, [codebookDef]);
  const quickKeys = useMemo(() => new Set(quick.keys()), [quick]);
  const toggleBlur = useCallback(() => setBlurred((b) => !b), [setBlurred]);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);

  const pickSegment = useCallback(
    (x: Segment) => {
      setSelectedId(x.id);
      seekMs(x.startMs);
    },
    [seekMs, setSelectedId],
  );
  // Keyboard first: every action has a key (key-bindings.ts, shared with the `?` sheet).
  const now = () => (clock ? clock.nowMs() : 0);
  const activity = talk.talk?.activity ?? null;
  const jump = (spans: Span[] | undefined, dir: 1 | -1) => {
    const to = spans && nextSpan(spans, now(), dir);
    if (to) seekMs(to[0]);
  };
  const mine = () => selectedId !== null && mySegments.some((x) => x.id === selectedId);
  const run: Record<Command, () => void> = {
    ...shell.transportKeys(),
    markRupture: () => mark('rupture'),
    markRepair: () => mark('repair'),
    markComment: () => mark('comment'),
    nextUnread: () => fb.nextUnread(now()),
    nextAngle: () => {
      const angles = detail?.recordings.filter((r) => r.hasVideo && r.state === 'ready') ?? [];
      if (angles.length < 2) return;
      const i = angles.findIndex((r) => r.id === primaryId);
      setPrimaryId(angles[(i + 1) % angles.length]!.id);
    },
    nextSilence: () => jump(activity?.silences, 1),
    prevSilence: () => jump(activity?.silences, -1),
    nextOverlap: () => jump(activity?.overlaps, 1),
    prevOverlap: () => jump(activity?.overlaps, -1),
    // The comparison's keys do nothing here.
    nextDisagreement: () => undefined,
    prevDisagreement: () => undefined,
    pickHere: () => undefined,
    acceptPicked: () => undefined,
    // Enter: into the open form of the selected segment (a mark just closed), else open its form.
    editSelected: () => {
      if (draft && draft.id === selectedId) return (setFormFocus(true), focusForm());
      if (selectedId !== null) editSegment(selectedId);
    },
    deleteSelected: () => {
      if (!mine()) return;
      void ann.actions.remove(selectedId!);
      setSelectedId(null);
    },
    edgeStart: () => setEdge('start'),
    edgeEnd: () => setEdge('end'),
    nudgeBack: () => nudge(-1, false),
    nudgeForward: () => nudge(1, false),
    nudgeFrameBack: () => nudge(-1, true),
    nudgeFrameForward: () => nudge(1, true),
    undo: () => void ann.actions.undo(),
    redo: () => void ann.actions.redo(),
    help: () => setHelp((h) => !h),
  };

  useKeyBindings(
    run,
    () => {
      setHelp(false);
      setPending(null);
      setTimeError(null);
      // The form of a mark closes; the mark stays (it is stored).
      setDraft(null);
    },
    (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return false;
      const q = quick.get(e.key.toLowerCase());
      if (!q) return false;
      mark(q.kind, q.code, e.key.toUpperCase());
      return true;
    },
  );

  if (error) {
    return (
      <div className="player">
        <header className="toolbar">
          <button type="button" onClick={onBack}>
            ← Library
          </button>
        </header>
        <InlineError message={error} />
      </div>
    );
  }
  if (!detail) return <div className="player loading" aria-busy="true" />;

  return (
    <div className="player">
      <PlayerHeader
        detail={detail}
        raters={ann.raters}
        rater={ann.rater}
        rating={ownRating}
        actions={ann.actions}
        showsVideo={primary?.hasVideo ?? false}
        blurred={blurred}
        onBack={onBack}
        onBlur={toggleBlur}
        onHelp={toggleHelp}
        emptyParts={emptyParts}
      />
      <Workspace
        layout={layout}
        sideLabel="Side panel"
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
            {/* The form sits over the side panel, beside the lanes it edits, never over them. */}
            {draft && draft.id !== null && codebookDef && (
              <SegmentForm
                key={formKey}
                draft={draft}
                codebook={codebookDef}
                ruptures={mySegments.filter((x) => x.kind === 'rupture')}
                focus={formFocus}
                fresh={formFresh}
                quickKeys={quickKeys}
                onSave={(d) => void saveDraft({ ...d, id: d.id ?? draft.id! })}
                onCancel={() => setDraft(null)}
                onDelete={() => {
                  void ann.actions.remove(draft.id!);
                  setDraft(null);
                  setSelectedId(null);
                }}
              />
            )}
            <SidePanel
              sessionId={sessionId}
              rater={ann.rater}
              raters={ann.raters}
              codes={ann.codes}
              codebookDef={codebookDef}
              version={side.version}
              recordings={detail.recordings}
              durationMs={durationMs}
              primaryId={primaryId}
              onPrimary={setPrimaryId}
              onRecordingsChanged={load}
              onSupervisionReceived={() => {
                load();
                void ann.actions.refresh();
              }}
              listSegments={side.segments}
              listRaters={side.raters}
              listStatuses={side.statuses}
              selectedId={selectedId}
              loopingId={loop?.id ?? null}
              onPick={pickSegment}
              onLoop={loopSegment}
              onEdit={editSegment}
              onSeek={seekMs}
              feedback={fb.takesPart && ann.rater ? fb : null}
              onPlaySequence={shell.playSequence}
              transcript={transcript}
              onTranscribed={() => setTranscriptNonce((n) => n + 1)}
              playhead={playhead}
              onMark={ann.rater ? openDraft : null}
              talk={talk}
              caseId={detail.case.id}
              scrub={shell.scrub}
            />
          </>
        }
      >
        <ShellTimeline
          shell={shell}
          canDraw={ann.rater !== null}
          onDrawn={openDraft}
          extra={<CompactToggle layout={layout} />}
        >
          <LanesToolbar
            pending={pending}
            hiddenRaters={ann.data?.hidden.length ?? 0}
            ownSubmitted={ownRating?.status === 'submitted'}
            pauseWhileCoding={ann.pauseWhileCoding}
            saving={ann.saving}
            history={ann.history}
            actions={ann.actions}
            onInterop={openInterop}
          />
          <InlineError message={ann.error} onDismiss={ann.actions.clearError} />
          <InlineError message={markError} onDismiss={() => setMarkError(null)} />
          {/* The lanes scroll on their own: with many raters, or with the form open, the waveform
              above them stays in view. */}
          <div className="lanes-scroll" role="region" aria-label="Lanes" tabIndex={0}>
            {/* Who speaks when, first under the waveform; it scrolls with the lanes, so the video keeps its room. */}
            {activity && <SpeakerLanes activity={activity} view={view} onSeek={seekMs} />}
            {ann.data && (
              <Lanes
                segments={ann.data.segments}
                raters={laneRaters}
                currentRaterId={ann.rater?.id ?? null}
                codes={ann.codes}
                statuses={statuses}
                view={view}
                durationMs={durationMs}
                selectedId={selectedId}
                pending={pending}
                playhead={playhead}
                onSelect={setSelectedId}
                onOpen={editSegment}
                onSeek={seekMs}
                onMove={moveSegment}
                onDrawn={openDraft}
              />
            )}
            {fb.takesPart && fb.view && (
              <FeedbackLane threads={fb.view.threads} view={view} activeId={fb.activeId} onOpen={fb.open} />
            )}
            {transcript.utterances && transcript.utterances.length > 0 && (
              <TranscriptLane utterances={transcript.utterances} view={view} onSeek={seekMs} />
            )}
          </div>
        </ShellTimeline>
      </Workspace>
      {help && <Shortcuts onClose={() => setHelp(false)} codes={codebookDef?.codes} />}
      {interop && (
        <InteropDialog
          sessionId={sessionId}
          me={ann.rater}
          codebook={codebookDef}
          onImported={(p) => {
            ann.actions.reopen();
            if (p.utterances) setTranscriptNonce((n) => n + 1);
          }}
          onClose={() => setInterop(false)}
        />
      )}
    </div>
  );
}
