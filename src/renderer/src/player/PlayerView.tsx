import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Segment } from '../../../shared/annotations';
import type { Recording, SessionDetail } from '../../../shared/domain';
import { Lanes } from '../annotate/Lanes';
import { RaterPicker } from '../annotate/RaterPicker';
import { RatingControls } from '../annotate/RatingControls';
import { SegmentForm } from '../annotate/SegmentForm';
import { useAnnotations } from '../annotate/useAnnotations';
import { sessionDurationMs } from '../../../shared/segment-rules';
import { formatDuration, formatTime, parseTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { createViewWindow } from '../ui/view-window';
import { Overview } from './Overview';
import { mediaClock, placeOnClock } from './clock';
import { toChannels } from './peaks';
import { Ruler } from './Ruler';
import { commandFor, keyBelongsToFocus, type Command } from './key-bindings';
import { Shortcuts } from './Shortcuts';
import { SidePanel } from './SidePanel';
import { WaveformArea } from './WaveformArea';
import { SyncedVideo } from './SyncedVideo';
import { Transport } from './Transport';
import { LanesToolbar } from '../annotate/LanesToolbar';
import { useCoding } from '../annotate/useCoding';
import { usePlayback } from './usePlayback';
import { useZoom } from './useZoom';

const EMPTY: Segment[] = [];

type Channels = [Float32Array, Float32Array];

export function PlayerView({ sessionId, onBack }: { sessionId: number; onBack: () => void }) {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [primaryId, setPrimaryId] = useState<number | null>(null);
  const [media, setMedia] = useState<HTMLVideoElement | null>(null);
  const [waveChannels, setWaveChannels] = useState<Channels | null>(null);
  const [overviewChannels, setOverviewChannels] = useState<Channels | null>(null);
  const [waveNote, setWaveNote] = useState<string | null>(null);
  // The stretch in view lives outside React state: panning must not re-render the player.
  const view = useMemo(() => createViewWindow({ start: 0, end: 0 }), []);
  const [blurred, setBlurred] = useState(false);
  const [help, setHelp] = useState(false);
  const [timeError, setTimeError] = useState<string | null>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const ann = useAnnotations(sessionId);
  const peaksRequest = useRef<{ id: number; promise: ReturnType<typeof fetchPeaks> } | null>(null);
  const [loop, setLoop] = useState<Segment | null>(null);
  const loopRef = useRef<Segment | null>(null);
  loopRef.current = loop;

  const load = useCallback(() => {
    api.call('sessions:get', { id: sessionId }).then(
      (d) => {
        // Ask for the waveform now, not after the first render: opening a session waits on it.
        const first = pickPrimary(d.recordings);
        if (first?.hasAudio && !peaksRequest.current)
          peaksRequest.current = { id: first.id, promise: fetchPeaks(first.id) };
        setDetail(d);
        setPrimaryId((prev) => prev ?? first?.id ?? null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [sessionId]);
  useEffect(load, [load]);

  const primary = detail?.recordings.find((r) => r.id === primaryId) ?? null;
  const secondaries = detail?.recordings.filter((r) => r.id !== primaryId && r.state === 'ready' && r.hasVideo) ?? [];
  // The session's clock: its length is where its last recording ends; the main recording's
  // offset places it on that clock (see clock.ts).
  const durationMs = useMemo(() => sessionDurationMs(detail?.recordings ?? []), [detail]);
  const offsetMs = primary?.offsetMs ?? 0;
  const clock = useMemo(
    () => (media && primary ? mediaClock(media, offsetMs, primary.durationMs) : null),
    [media, primary, offsetMs],
  );
  const fps = primary?.probe.streams.find((s) => s.kind === 'video')?.fps ?? 25;

  // Peaks of the main recording: detail for the waveform, overview for the strip.
  useEffect(() => {
    setWaveChannels(null);
    setOverviewChannels(null);
    setWaveNote(null);
    if (!primary) return;
    if (!primary.hasAudio) {
      setWaveNote('No audio track in this recording, so there is no waveform. The video still plays.');
      return;
    }
    let alive = true;
    const early = peaksRequest.current;
    (early?.id === primary.id ? early.promise : fetchPeaks(primary.id)).then(
      ([d, o]) => {
        if (!alive) return;
        performance.mark('peaks-received');
        const place = (p: typeof d) => placeOnClock(toChannels(p), p.pairsPerSecond, offsetMs, durationMs);
        setWaveChannels(place(d));
        performance.mark('peaks-decoded');
        setOverviewChannels(place(o));
      },
      (e: unknown) => alive && setWaveNote(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [primary?.id, primary?.hasAudio, offsetMs, durationMs]); // eslint-disable-line react-hooks/exhaustive-deps

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
  } = useCoding({ ann, media, clock, durationMs, fps, onNoRater: setTimeError });
  const statuses = useMemo(() => new Map((ann.data?.ruptureStatus ?? []).map((x) => [x.ruptureId, x])), [ann.data]);
  const raterList = ann.data?.raters;
  const laneRaters = useMemo(() => {
    const others = (raterList ?? []).filter((r) => r.id !== ann.rater?.id);
    return ann.rater ? [ann.rater, ...others] : others;
  }, [raterList, ann.rater]);
  // The list trails the lanes: an edit shows on the timeline first, and the list (all of whose
  // inputs are deferred, so the urgent render skips it) follows when the frame is free.
  const listSegments = useDeferredValue(ann.data?.segments ?? EMPTY);
  const listStatuses = useDeferredValue(statuses);
  const listRaters = useDeferredValue(laneRaters);

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
  // Keyboard first: every action has a key; `?` lists them.
  useEffect(() => {
    // What each command does; the keys are in key-bindings.ts (shared with the shortcut sheet).
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
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (e.key === 'Escape') {
        setHelp(false);
        setPending(null);
        if (target instanceof HTMLElement && keyBelongsToFocus(e, target)) target.blur();
        return;
      }
      if (keyBelongsToFocus(e, target)) return;
      const command = commandFor(e);
      if (!command) return;
      e.preventDefault();
      run[command]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [
    media,
    clock,
    setEdge,
    setPending,
    setSelectedId,
    togglePlay,
    seekMs,
    frame,
    stepRate,
    setZoom,
    zoom,
    fitPx,
    durationMs,
    ann.actions,
    nudge,
    mark,
    selectedId,
    mySegments,
    editSegment,
  ]);

  const onTimeKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    const ms = parseTime(e.currentTarget.value);
    if (ms === null) return setTimeError('Type a time like 00:12:31.480, 12:31 or 751.5.');
    if (ms > durationMs) return setTimeError(`That is past the end of the session (${formatTime(durationMs)}).`);
    setTimeError(null);
    seekMs(ms);
    e.currentTarget.blur();
  };

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
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>
          {detail.case.code} · Session {detail.session.number}
          {detail.session.date && <span className="muted"> · {detail.session.date}</span>}
        </h1>
        <span className="spacer" />
        <RaterPicker
          raters={ann.raters}
          current={ann.rater}
          onChoose={(id) => void ann.actions.chooseRater(id)}
          onCreate={(n, r) => void ann.actions.createRater(n, r)}
        />
        {ann.rater && (
          <RatingControls
            rating={ann.data?.ratings.find((r) => r.raterId === ann.rater?.id)}
            onSubmit={() => void ann.actions.submit()}
            onRevise={(reason) => void ann.actions.revise(reason)}
          />
        )}
        <button
          type="button"
          onClick={() => (window.location.hash = `#/compare/${sessionId}`)}
          title="All submitted ratings on one timeline"
        >
          Compare
        </button>
        {primary?.hasVideo && !blurred && (
          <span className="privacy" role="note">
            ● Identifiable video on screen
          </span>
        )}
        <button type="button" aria-pressed={blurred} onClick={() => setBlurred((b) => !b)} title="B">
          {blurred ? 'Show video' : 'Blur video'}
        </button>
        <button type="button" aria-label="Keyboard shortcuts" onClick={() => setHelp((h) => !h)} title="?">
          ?
        </button>
      </header>
      <div className="review">
        <div className={`stage${blurred ? ' blurred' : ''}`}>
          {primary && primary.state === 'ready' ? (
            <video
              key={primary.id}
              ref={mediaRef}
              src={api.mediaUrl(primary.id)}
              preload="auto"
              playsInline
              aria-label={`Recording ${primary.fileName}`}
              className={primary.hasVideo ? '' : 'audio-only'}
            />
          ) : (
            <div className="stage-note">
              {primary
                ? `${primary.fileName} is not where it was. Relink it in the library.`
                : 'This session has no recordings yet.'}
            </div>
          )}
          {primary && !primary.hasVideo && <div className="stage-note">Audio only · {primary.fileName}</div>}
          {secondaries.length > 0 && media && (
            <div className="angles">
              {secondaries.map((r) => (
                <SyncedVideo key={r.id} recording={r} primaryOffsetMs={primary?.offsetMs ?? 0} master={media} />
              ))}
            </div>
          )}
          <InlineError message={mediaError} />
        </div>
        <SidePanel
          sessionId={sessionId}
          ann={ann}
          recordings={detail.recordings}
          primaryId={primaryId}
          onPrimary={setPrimaryId}
          onRecordingsChanged={load}
          listSegments={listSegments}
          listRaters={listRaters}
          listStatuses={listStatuses}
          selectedId={selectedId}
          loopingId={loop?.id ?? null}
          onPick={pickSegment}
          onLoop={loopSegment}
          onSeek={seekMs}
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
        onZoom={(factor) => setZoom(factor === 0 ? fitPx : zoom * factor)}
      />
      <InlineError message={timeError} onDismiss={() => setTimeError(null)} />
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
        <LanesToolbar ann={ann} pending={pending} />
        <InlineError message={ann.error} onDismiss={ann.actions.clearError} />
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

function fetchPeaks(id: number) {
  return Promise.all([
    api.call('recordings:peaks', { id, level: 'detail' }),
    api.call('recordings:peaks', { id, level: 'overview' }),
  ]);
}

/** The main recording: the first ready one with video and audio, else any ready one. */
function pickPrimary(recs: Recording[]): Recording | undefined {
  const ready = recs.filter((r) => r.state === 'ready');
  return ready.find((r) => r.hasVideo && r.hasAudio) ?? ready.find((r) => r.hasVideo) ?? ready[0] ?? recs[0];
}
