import { useScrub } from './useScrub';
import { api } from '../api';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TransportCommand } from './key-bindings';
import type { Segment } from '../../../shared/annotations';
import { formatDuration, formatTime, parseTime } from '../../../shared/time';
import { createViewWindow } from '../ui/view-window';
import { mediaClock } from './clock';
import { onTimeupdate } from './playback-loop';
import { usePlayback } from './usePlayback';
import { useSession } from './useSession';
import { useZoom } from './useZoom';

/**
 * What every screen that plays a session shares (the review player and the comparison): the
 * session and its clock, the main recording's element, the stretch in view, the zoom, playback,
 * the typed time and the transport's handlers. Each screen adds its own lanes and keys.
 */
export function usePlayerShell(sessionId: number) {
  const [media, setMedia] = useState<HTMLVideoElement | null>(null);
  // The stretch in view lives outside React state: panning must not re-render the screen.
  const view = useMemo(() => createViewWindow({ start: 0, end: 0 }), []);
  const [blurred, setBlurred] = useState(false);
  const [timeError, setTimeError] = useState<string | null>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const [loop, setLoop] = useState<Segment | null>(null);
  const loopRef = useRef<Segment | null>(null);
  loopRef.current = loop;

  const session = useSession(sessionId);
  // The main recording's scrub aid, once built (the Stage seeks it while the real file seeks).
  const scrub = useScrub(sessionId);
  const scrubPrimary = session.primary;
  const scrubUrl =
    scrubPrimary?.hasVideo && scrub.get(scrubPrimary.id)?.state === 'ready' ? api.scrubUrl(scrubPrimary.id) : null;
  const scrubUrlOf = useCallback((id: number) => (scrub.get(id)?.state === 'ready' ? api.scrubUrl(id) : null), [scrub]);
  const { detail, primary, durationMs, offsetMs, fps, waveChannels } = session;
  const clock = useMemo(
    () => (media && primary ? mediaClock(media, offsetMs, primary.durationMs) : null),
    [media, primary, offsetMs],
  );
  const { areaWidth, fitPx, zoom, setZoom } = useZoom(areaRef, durationMs, detail);
  const playback = usePlayback({
    media,
    clock,
    sessionId,
    lastPositionMs: detail?.session.lastPositionMs ?? null,
    durationMs,
    fps,
    loopRef,
    timeRef,
  });
  const { seekMs } = playback;

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
  const now = useCallback(() => (clock ? clock.nowMs() : 0), [clock]);
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

  const { togglePlay, frame, stepRate } = playback;
  // A sequence of stretches played one after another (a playlist of moments): when one ends the
  // next begins; after the last, playback pauses.
  // (Listened to only while one plays: four `timeupdate`s a second for an hour add up.)
  const sequence = useRef<{ queue: { from: number; to: number }[]; at: number } | null>(null);
  const [sequencing, setSequencing] = useState(false);
  useEffect(() => {
    if (!media || !clock || !sequencing) return;
    const onTime = () => {
      const seq = sequence.current;
      if (!seq) return setSequencing(false);
      if (clock.nowMs() < seq.queue[seq.at]!.to) return;
      seq.at++;
      if (seq.at >= seq.queue.length) {
        sequence.current = null;
        setSequencing(false);
        media.pause();
      } else seekMs(seq.queue[seq.at]!.from);
    };
    return onTimeupdate(media, onTime);
  }, [media, clock, seekMs, sequencing]);
  const playSequence = useCallback(
    (queue: { from: number; to: number }[]) => {
      if (!media || !queue.length) return;
      sequence.current = { queue, at: 0 };
      setSequencing(true);
      seekMs(queue[0]!.from);
      void media.play().catch(() => undefined);
    },
    [media, seekMs],
  );
  /** The keys every playing screen shares: playback, seeking, zoom, the typed time, blur. */
  const transportKeys = (): Record<TransportCommand, () => void> => ({
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
  });

  return {
    ...session,
    ...playback,
    transportKeys,
    playSequence,
    media,
    mediaRef,
    clock,
    view,
    blurred,
    setBlurred,
    timeError,
    setTimeError,
    timeRef,
    areaRef,
    loop,
    loopSegment,
    fitPx,
    zoom,
    setZoom,
    onTimeKey,
    onZoomStep,
    onWindow,
    onZoomWheel,
    windowLabel,
    now,
    scrub,
    scrubUrl,
    scrubUrlOf,
  };
}
