import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Segment } from '../../../shared/annotations';
import { Lanes } from '../coding/Lanes';
import { SegmentForm } from '../coding/SegmentForm';
import { useAnnotations } from '../coding/useAnnotations';
import { formatDuration, formatTime, parseTime } from '../../../shared/time';
import { InlineError } from '../ui/InlineError';
import { createViewWindow } from '../ui/view-window';
import { Overview } from './Overview';
import { mediaClock } from './clock';
import { Ruler } from './Ruler';
import type { Command } from './key-bindings';
import { useKeyBindings } from './useKeyBindings';
import { Shortcuts } from './Shortcuts';
import { SidePanel } from './SidePanel';
import { WaveformArea } from './WaveformArea';
import { PlayerHeader } from './PlayerHeader';
import { Stage } from './Stage';
import { Transport } from './Transport';
import { LanesToolbar } from '../coding/LanesToolbar';
import { FeedbackLane } from '../feedback/FeedbackLane';
import { usePlayerFeedback } from '../feedback/usePlayerFeedback';
import { useCoding } from '../coding/useCoding';
import { usePlayback } from './usePlayback';
import { useSession } from './useSession';
import { useZoom } from './useZoom';

const EMPTY: Segment[] = [];

export function PlayerView({ sessionId, onBack }: { sessionId: number; onBack: () => void }) {
  const [media, setMedia] = useState<HTMLVideoElement | null>(null);
  // The stretch in view lives outside React state: panning must not re-render the player.
  const view = useMemo(() => createViewWindow({ start: 0, end: 0 }), []);
  const [blurred, setBlurred] = useState(false);
  const [help, setHelp] = useState(false);
  const [timeError, setTimeError] = useState<string | null>(null);
  const [markError, setMarkError] = useState<string | null>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const ann = useAnnotations(sessionId);
  const [loop, setLoop] = useState<Segment | null>(null);
  const loopRef = useRef<Segment | null>(null);
  loopRef.current = loop;

  const session = useSession(sessionId);
  const { detail, error, primaryId, setPrimaryId, load, primary, secondaries, durationMs, offsetMs, fps } = session;
  const { waveChannels, overviewChannels, waveNote } = session;
  const clock = useMemo(
    () => (media && primary ? mediaClock(media, offsetMs, primary.durationMs) : null),
    [media, primary, offsetMs],
  );

  const { areaWidth, fitPx, zoom, setZoom } = useZoom(areaRef, durationMs, detail);
  const { playing, rate, currentMs, mediaError, seekMs, togglePlay, stepRate, frame } = usePlayback({
    media,
    clock,
    sessionId,
    lastPositionMs: detail?.session.lastPositionMs ?? null,
    durationMs,
    fps,
    loopRef,
    timeRef,
  });

  const codebookDef = ann.codebook?.definition;
  const fb = usePlayerFeedback(sessionId, ann.rater, seekMs);
  const {
    mySegments,
    selectedId,
    setSelectedId,
    pending,
    setPending,
    draft,
    setDraft,
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
  const statuses = useMemo(() => new Map((ann.data?.ruptureStatus ?? []).map((x) => [x.ruptureId, x])), [ann.data]);
  const raterList = ann.data?.raters;
  const laneRaters = useMemo(() => {
    const others = (raterList ?? []).filter((r) => r.id !== ann.rater?.id);
    return ann.rater ? [ann.rater, ...others] : others;
  }, [raterList, ann.rater]);
  // The side panel trails the lanes: an edit shows on the timeline first, and the list and summary
  // follow in a deferred render that yields to anything more urgent.
  // One deferred value for all of them: one render of the panel, not one per input.
  const sideNow = useMemo(
    () => ({ segments: ann.data?.segments ?? EMPTY, statuses, raters: laneRaters, version: ann.data }),
    [ann.data, statuses, laneRaters],
  );
  const side = useDeferredValue(sideNow);
  // Narrow, stable props: an edit re-renders the lanes, not the header, toolbar or side panel.
  const ownRating = ann.data?.ratings.find((r) => r.raterId === ann.rater?.id);
  const { canUndo = false, canRedo = false, undoLabel = null, redoLabel = null } = ann.data ?? {};
  const history = useMemo(() => ({ canUndo, canRedo, undoLabel, redoLabel }), [canUndo, canRedo, undoLabel, redoLabel]);
  const toggleBlur = useCallback(() => setBlurred((b) => !b), []);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);

  const pickSegment = useCallback(
    (x: Segment) => {
      setSelectedId(x.id);
      seekMs(x.startMs);
    },
    [seekMs, setSelectedId],
  );
  const loopSegment = useCallback(
    (x: Segment | null) => {
      setLoop(x);
      if (x && media && clock) {
        clock.seekMs(x.startMs);
        void media.play().catch(() => undefined);
      }
    },
    [media, clock],
  );
  // Keyboard first: every action has a key (key-bindings.ts, shared with the `?` sheet).
  const now = () => (clock ? clock.nowMs() : 0);
  const mine = () => selectedId !== null && mySegments.some((x) => x.id === selectedId);
  const run: Record<Command, () => void> = {
    playPause: togglePlay,
    back1: () => seekMs(now() - 1000),
    forward1: () => seekMs(now() + 1000),
    back5: () => seekMs(now() - 5000),
    forward5: () => seekMs(now() + 5000),
    prevFrame: () => frame(-1),
    nextFrame: () => frame(1),
    slower: () => stepRate(-1),
    normalSpeed: () => stepRate(0),
    faster: () => stepRate(1),
    toStart: () => seekMs(0),
    toEnd: () => seekMs(durationMs),
    zoomIn: () => setZoom(zoom * 1.5),
    zoomOut: () => setZoom(zoom / 1.5),
    zoomFit: () => setZoom(fitPx),
    typeTime: () => {
      timeRef.current?.focus();
      timeRef.current?.select();
    },
    blur: () => setBlurred((b) => !b),
    markRupture: () => mark('rupture'),
    markRepair: () => mark('repair'),
    markComment: () => mark('comment'),
    nextUnread: () => fb.nextUnread(now()),
    editSelected: () => selectedId !== null && editSegment(selectedId),
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

  useKeyBindings(run, () => {
    setHelp(false);
    setPending(null);
    setTimeError(null);
  });

  const onTimeKey = useCallback(
    (e: React.KeyboardEvent<HTMLInputElement>) => {
      if (e.key !== 'Enter') return;
      const ms = parseTime(e.currentTarget.value);
      if (ms === null) return setTimeError('Type a time like 00:12:31.480, 12:31 or 751.5.');
      if (ms > durationMs) return setTimeError(`That is past the end of the session (${formatTime(durationMs)}).`);
      setTimeError(null);
      seekMs(ms);
      e.currentTarget.blur();
    },
    [durationMs, seekMs],
  );
  const onZoomStep = useCallback(
    (factor: number) => setZoom(factor === 0 ? fitPx : zoom * factor),
    [setZoom, fitPx, zoom],
  );

  const mediaRef = useCallback((el: HTMLVideoElement | null) => setMedia(el), []);
  // Without a waveform (no audio, or peaks still loading) the lanes show the whole session.
  useEffect(() => {
    if (!waveChannels && durationMs > 0) view.set({ start: 0, end: durationMs });
  }, [waveChannels, durationMs, view]);
  const onWindow = useCallback(
    (start: number, end: number, preview?: boolean) => view.set(preview ? { start, end, preview } : { start, end }),
    [view],
  );
  const onZoomWheel = useCallback((f: number) => setZoom(zoom * f), [setZoom, zoom]);
  const windowLabel = useMemo(() => formatDuration((areaWidth / zoom) * 1000), [areaWidth, zoom]);

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
      />
      <div className="review">
        <Stage
          primary={primary}
          secondaries={secondaries}
          media={media}
          mediaRef={mediaRef}
          blurred={blurred}
          mediaError={mediaError}
        />
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
          listSegments={side.segments}
          listRaters={side.raters}
          listStatuses={side.statuses}
          selectedId={selectedId}
          loopingId={loop?.id ?? null}
          onPick={pickSegment}
          onLoop={loopSegment}
          onSeek={seekMs}
          feedback={fb.takesPart && ann.rater ? fb : null}
        />
      </div>
      <Transport
        playing={playing}
        rate={rate}
        durationMs={durationMs}
        timeRef={timeRef}
        windowLabel={windowLabel}
        media={media}
        onTogglePlay={togglePlay}
        onSeek={seekMs}
        onFrame={frame}
        onTimeKey={onTimeKey}
        onZoom={onZoomStep}
        timeError={timeError}
      />
      <div className="timeline-area" ref={areaRef}>
        <Overview
          channels={overviewChannels}
          durationMs={durationMs}
          view={view}
          currentMs={currentMs}
          onSeek={seekMs}
        />
        {waveChannels && media ? (
          <WaveformArea
            media={media}
            offsetMs={offsetMs}
            channels={waveChannels}
            durationMs={durationMs}
            pxPerSec={zoom}
            view={view}
            canDraw={ann.rater !== null}
            onDrawn={openDraft}
            onWindow={onWindow}
            onZoomWheel={onZoomWheel}
          />
        ) : (
          <div className="waveform-note" role="status">
            {waveNote ?? (primary?.hasAudio ? 'Loading waveform…' : '')}
          </div>
        )}
        {waveChannels && media && <Ruler view={view} />}
        <LanesToolbar
          pending={pending}
          hiddenRaters={ann.data?.hidden.length ?? 0}
          ownSubmitted={ownRating?.status === 'submitted'}
          pauseWhileCoding={ann.pauseWhileCoding}
          saving={ann.saving}
          history={history}
          actions={ann.actions}
        />
        <InlineError message={ann.error} onDismiss={ann.actions.clearError} />
        <InlineError message={markError} onDismiss={() => setMarkError(null)} />
        {/* The lanes scroll on their own: with many raters, or with the form open, the waveform
            above them stays in view. */}
        <div className="lanes-scroll">
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
              playheadMs={currentMs}
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
        </div>
        {draft && codebookDef && (
          <SegmentForm
            key={`${draft.id ?? 'new'}-${draft.kind}-${draft.startMs}`}
            draft={draft}
            codebook={codebookDef}
            ruptures={mySegments.filter((x) => x.kind === 'rupture')}
            onSave={(d) => void saveDraft(d)}
            onCancel={() => setDraft(null)}
            onDelete={
              draft.id !== null
                ? () => {
                    void ann.actions.remove(draft.id!);
                    setDraft(null);
                    setSelectedId(null);
                  }
                : undefined
            }
          />
        )}
      </div>
      {help && <Shortcuts onClose={() => setHelp(false)} />}
    </div>
  );
}
