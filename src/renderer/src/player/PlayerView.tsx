import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Segment, SegmentKind } from '../../../shared/annotations';
import type { Recording, SessionDetail } from '../../../shared/domain';
import { GridPanel } from '../annotate/GridPanel';
import { Lanes, type Pending } from '../annotate/Lanes';
import { RaterPicker } from '../annotate/RaterPicker';
import { RatingControls } from '../annotate/RatingControls';
import { SelfReports } from '../annotate/SelfReports';
import { SegmentForm, draftFrom, type Draft } from '../annotate/SegmentForm';
import { SegmentList } from '../annotate/SegmentList';
import { SummaryPanel } from '../annotate/SummaryPanel';
import { SaveStatus } from '../annotate/SaveStatus';
import { useAnnotations } from '../annotate/useAnnotations';
import { inferRuptureType } from '../../../shared/annotation-logic';
import { closeSpan, minLengthMs, sessionDurationMs } from '../../../shared/segment-rules';
import { formatDuration, formatTime, parseTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { IconFrameBack, IconFrameForward, IconPause, IconPlay, IconToEnd, IconToStart } from '../ui/Icons';
import { InlineError } from '../ui/InlineError';
import { createViewWindow } from '../ui/view-window';
import { Overview } from './Overview';
import { mediaClock, placeOnClock } from './clock';
import { toChannels } from './peaks';
import { RecordingsPanel } from './RecordingsPanel';
import { Ruler } from './Ruler';
import { commandFor, keyBelongsToFocus, type Command } from './key-bindings';
import { Shortcuts } from './Shortcuts';
import { RATES, usePlayback } from './usePlayback';
import { useZoom } from './useZoom';
import { Waveform } from './Waveform';

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
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loop, setLoop] = useState<Segment | null>(null);
  const loopRef = useRef<Segment | null>(null);
  loopRef.current = loop;
  const [edge, setEdge] = useState<'start' | 'end'>('end');
  const [sweep, setSweep] = useState<{ from: number; to: number } | null>(null);
  const [tab, setTab] = useState<'segments' | 'summary' | 'grid' | 'reports' | 'recordings'>('segments');

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
  const mySegments = useMemo(
    () => (ann.data?.segments ?? []).filter((x) => x.raterId === ann.rater?.id),
    [ann.data, ann.rater],
  );
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

  const openDraft = useCallback(
    (kind: SegmentKind, startMs: number, endMs: number) => {
      // A repair addresses, by default, the closest earlier rupture of the same rater.
      const before = mySegments.filter((x) => x.kind === 'rupture' && x.startMs <= startMs);
      const nearest = before[before.length - 1];
      setDraft({
        id: null,
        kind,
        startMs,
        endMs,
        ruptureType: null,
        codes: [],
        rating: null,
        stage: null,
        tags: [],
        note: '',
        linkedRuptureIds: kind === 'repair' && nearest ? [nearest.id] : [],
        resolved: false,
      });
    },
    [mySegments],
  );

  /** R, P, C: the first press opens a segment at the playhead, the second closes it. */
  const mark = useCallback(
    (kind: SegmentKind) => {
      if (!media) return;
      if (!ann.rater) {
        ann.actions.clearError();
        setTimeError('Choose who is rating (top right) before marking segments.');
        return;
      }
      const now = clock ? clock.nowMs() : 0;
      if (pending?.kind !== kind) {
        setPending({ kind, startMs: now });
        return;
      }
      setPending(null);
      // A comment closed within 0.3 s is a point; a rupture or repair closed almost at once gets
      // the default length (the shared rule the core checks too).
      const [a, b] =
        kind === 'comment' && Math.abs(now - pending.startMs) < 300
          ? [pending.startMs, pending.startMs]
          : closeSpan(kind, pending.startMs, now, durationMs);
      if (ann.pauseWhileCoding) media.pause();
      openDraft(kind, a, b);
    },
    [media, clock, ann, pending, durationMs, openDraft],
  );

  const saveDraft = useCallback(
    async (d: Draft) => {
      const fields = {
        startMs: d.startMs,
        endMs: d.endMs,
        codes: d.codes,
        rating: d.kind === 'comment' ? null : d.rating,
        stage: d.kind === 'repair' ? d.stage : null,
        tags: d.tags,
        note: d.note,
        ruptureType: d.kind === 'rupture' ? d.ruptureType : null,
        ...(d.kind === 'repair' ? { linkedRuptureIds: d.linkedRuptureIds } : {}),
      };
      if (d.id === null) {
        // A new segment shows at once; if the store refuses it, the form comes back as it was
        // typed, with the store's message above it.
        const temp = ann.actions.createShown(
          { kind: d.kind, ...fields },
          {
            stored: (kept, tempId) => setSelectedId((sel) => (sel === tempId ? kept.id : sel)),
            refused: () => {
              setSelectedId((sel) => (sel === temp ? null : sel));
              setDraft(d);
            },
          },
        );
        if (temp !== null) {
          setDraft(null);
          setSelectedId(temp);
        }
        return;
      }
      const saved = await ann.actions.update({
        id: d.id,
        ...fields,
        ...(d.kind === 'comment' ? { resolved: d.resolved } : {}),
      });
      if (saved) {
        setDraft(null);
        setSelectedId(saved.id);
      }
    },
    [ann.actions],
  );

  const editSegment = useCallback(
    (id: number) => {
      const seg = ann.data?.segments.find((x) => x.id === id);
      if (!seg || seg.raterId !== ann.rater?.id || !codebookDef) return;
      const inferred = seg.kind === 'rupture' && seg.ruptureType === inferRuptureType(seg.codes, codebookDef);
      setDraft({ ...draftFrom(seg), ruptureType: inferred ? null : seg.ruptureType });
    },
    [ann.data, ann.rater, codebookDef],
  );

  const pickSegment = useCallback(
    (x: Segment) => {
      setSelectedId(x.id);
      seekMs(x.startMs);
    },
    [seekMs],
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
  const moveSegment = useCallback(
    (id: number, startMs: number, endMs: number) => {
      const seg = mySegments.find((x) => x.id === id);
      if (seg) ann.actions.move(seg, startMs, endMs);
    },
    [mySegments, ann.actions],
  );

  const nudge = useCallback(
    (dir: -1 | 1, byFrame: boolean) => {
      const seg = mySegments.find((x) => x.id === selectedId);
      if (!seg) return;
      const step = dir * (byFrame ? Math.round(1000 / fps) : 100);
      const startMs =
        edge === 'start' ? Math.max(0, Math.min(seg.endMs - minLengthMs(seg.kind), seg.startMs + step)) : seg.startMs;
      const endMs =
        edge === 'end'
          ? Math.min(durationMs, Math.max(seg.startMs + minLengthMs(seg.kind), seg.endMs + step))
          : seg.endMs;
      ann.actions.move(seg, startMs, endMs);
    },
    [mySegments, selectedId, edge, fps, durationMs, ann.actions],
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
        <aside className="side-panel" aria-label="Session panel">
          <div className="tabs" role="tablist" aria-label="Panels">
            {(
              [
                ['segments', 'Segments'],
                ['summary', 'Summary'],
                ['grid', '3RS grid'],
                ['reports', 'Self-reports'],
                ['recordings', 'Recordings'],
              ] as const
            ).map(([key, label]) => (
              <button
                key={key}
                type="button"
                role="tab"
                aria-selected={tab === key}
                className={tab === key ? 'on' : ''}
                onClick={() => setTab(key)}
              >
                {label}
              </button>
            ))}
          </div>
          {tab === 'segments' && ann.data && (
            <SegmentList
              segments={listSegments}
              raters={listRaters}
              codes={ann.codes}
              statuses={listStatuses}
              selectedId={selectedId}
              loopingId={loop?.id ?? null}
              onPick={pickSegment}
              onLoop={loopSegment}
            />
          )}
          {tab === 'summary' && (
            <SummaryPanel
              sessionId={sessionId}
              raterId={ann.rater?.id ?? null}
              version={ann.data}
              codes={ann.codes}
              onSeek={seekMs}
            />
          )}
          {tab === 'grid' &&
            (ann.rater && codebookDef ? (
              <GridPanel sessionId={sessionId} raterId={ann.rater.id} codebook={codebookDef} onSeek={seekMs} />
            ) : (
              <p className="muted">Choose who is rating (top right) to fill in the 3RS grid.</p>
            ))}
          {tab === 'reports' && <SelfReports sessionId={sessionId} raters={ann.raters} current={ann.rater} />}
          {tab === 'recordings' && (
            <RecordingsPanel
              recordings={detail.recordings}
              primaryId={primaryId}
              onPrimary={setPrimaryId}
              onChanged={load}
            />
          )}
        </aside>
      </div>
      <div className="transport" role="toolbar" aria-label="Playback">
        <button
          type="button"
          className="primary play"
          onClick={togglePlay}
          aria-label={playing ? 'Pause' : 'Play'}
          title="Space"
        >
          {playing ? <IconPause /> : <IconPlay />}
        </button>
        <button type="button" onClick={() => seekMs(0)} aria-label="Jump to start" title="Home">
          <IconToStart />
        </button>
        <button type="button" onClick={() => frame(-1)} aria-label="Previous frame" title=",">
          <IconFrameBack />
        </button>
        <input
          ref={timeRef}
          className="time tabular"
          aria-label="Current time"
          defaultValue={formatTime(0)}
          onKeyDown={onTimeKey}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button type="button" onClick={() => frame(1)} aria-label="Next frame" title=".">
          <IconFrameForward />
        </button>
        <button type="button" onClick={() => seekMs(durationMs)} aria-label="Jump to end" title="End">
          <IconToEnd />
        </button>
        <span className="tabular muted">/ {formatTime(durationMs, false)}</span>
        <label className="rate">
          <span className="sr-only">Playback rate</span>
          <select
            aria-label="Playback rate"
            value={rate}
            onChange={(e) => media && (media.playbackRate = Number(e.target.value))}
          >
            {RATES.map((r) => (
              <option key={r} value={r}>
                {r}×
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className="muted tabular" aria-label="Visible window">
          window {windowLabel}
        </span>
        <button type="button" onClick={() => setZoom(zoom / 1.5)} aria-label="Zoom out" title="−">
          −
        </button>
        <button type="button" onClick={() => setZoom(zoom * 1.5)} aria-label="Zoom in" title="+">
          +
        </button>
        <button type="button" onClick={() => setZoom(fitPx)} aria-label="Show whole session" title="0">
          Fit
        </button>
      </div>
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
          <div
            className="waveform-draw"
            onPointerDownCapture={(e) => {
              // Shift+drag on the waveform draws a new segment; a plain drag seeks.
              if (!e.shiftKey || e.button !== 0 || !ann.rater) return;
              e.stopPropagation();
              e.preventDefault();
              const rect = e.currentTarget.getBoundingClientRect();
              const w = view.get();
              const toMs = (x: number) =>
                Math.round(
                  Math.min(durationMs, Math.max(0, w.start + ((x - rect.left) / rect.width) * (w.end - w.start))) / 100,
                ) * 100;
              const from = toMs(e.clientX);
              setSweep({ from, to: from });
              const move = (ev: PointerEvent) => setSweep({ from, to: toMs(ev.clientX) });
              const up = (ev: PointerEvent) => {
                window.removeEventListener('pointermove', move, true);
                window.removeEventListener('pointerup', up, true);
                ev.stopPropagation();
                setSweep(null);
                const to = toMs(ev.clientX);
                const [a, b] = from <= to ? [from, to] : [to, from];
                if (b - a >= 200) openDraft('rupture', a, b);
              };
              window.addEventListener('pointermove', move, true);
              window.addEventListener('pointerup', up, true);
            }}
          >
            {sweep && (
              <div
                className="sweep"
                style={{
                  left: `${((Math.min(sweep.from, sweep.to) - view.get().start) / (view.get().end - view.get().start)) * 100}%`,
                  width: `${(Math.abs(sweep.to - sweep.from) / (view.get().end - view.get().start)) * 100}%`,
                }}
              />
            )}
            <Waveform
              media={media}
              offsetMs={offsetMs}
              channels={waveChannels}
              durationMs={durationMs}
              pxPerSec={zoom}
              onWindow={onWindow}
              onZoomWheel={onZoomWheel}
            />
          </div>
        ) : (
          <div className="waveform-note" role="status">
            {waveNote ?? (primary?.hasAudio ? 'Loading waveform…' : '')}
          </div>
        )}
        {waveChannels && media && <Ruler view={view} />}
        <div className="lanes-toolbar">
          <span className="muted small">
            <kbd>R</kbd> rupture · <kbd>P</kbd> repair · <kbd>C</kbd> comment — press again to close
          </span>
          {ann.data && ann.data.hidden.length > 0 && (
            <span className="blind-note" role="note">
              Blind rating: the work of {ann.data.hidden.length} other{' '}
              {ann.data.hidden.length === 1 ? 'rater' : 'raters'} is hidden until you submit yours (a workflow guard on
              a shared machine, not a security boundary).
            </span>
          )}
          {pending && (
            <span className="recording-mark" role="status">
              ● {pending.kind} open since {formatTime(pending.startMs)} — press{' '}
              {pending.kind === 'rupture' ? 'R' : pending.kind === 'repair' ? 'P' : 'C'} to close, Esc to drop
            </span>
          )}
          <span className="spacer" />
          <span className="lane-actions">
            <label className="checkbox small">
              <input
                type="checkbox"
                checked={ann.pauseWhileCoding}
                onChange={(e) => void ann.actions.setPauseWhileCoding(e.target.checked)}
              />
              Pause while coding
            </label>
            <SaveStatus saving={ann.saving} />
            <button
              type="button"
              onClick={() => void ann.actions.undo()}
              disabled={!ann.data?.canUndo}
              title={ann.data?.undoLabel ?? 'Nothing to undo'}
              aria-label="Undo"
            >
              Undo
            </button>
            <button
              type="button"
              onClick={() => void ann.actions.redo()}
              disabled={!ann.data?.canRedo}
              title={ann.data?.redoLabel ?? 'Nothing to redo'}
              aria-label="Redo"
            >
              Redo
            </button>
          </span>
        </div>
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

/** A further camera angle, muted, kept within 150 ms of the main recording using the offsets. */
function SyncedVideo({
  recording,
  primaryOffsetMs,
  master,
}: {
  recording: Recording;
  primaryOffsetMs: number;
  master: HTMLMediaElement;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    const target = () => master.currentTime + (primaryOffsetMs - recording.offsetMs) / 1000;
    const sync = () => {
      const t = target();
      const inRange = t >= 0 && t <= recording.durationMs / 1000;
      if (Math.abs(v.currentTime - t) > 0.15 && inRange) v.currentTime = t;
      v.playbackRate = master.playbackRate;
      if (!master.paused && inRange && v.paused) void v.play().catch(() => undefined);
      if ((master.paused || !inRange) && !v.paused) v.pause();
    };
    const events = ['timeupdate', 'seeked', 'play', 'pause', 'ratechange'];
    events.forEach((e) => master.addEventListener(e, sync));
    sync();
    return () => events.forEach((e) => master.removeEventListener(e, sync));
  }, [master, primaryOffsetMs, recording.offsetMs, recording.durationMs]);
  return (
    <video ref={ref} src={api.mediaUrl(recording.id)} muted preload="auto" aria-label={`Angle ${recording.fileName}`} />
  );
}
