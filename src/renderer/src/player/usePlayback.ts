import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { createPlayhead } from './playhead';
import type { Segment } from '../../../shared/annotations';
import { formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import type { MediaClock } from './clock';
import { followMedia, PLAYING_TICK_MS, RESTARTED_LOOK_MS, untilSessionMs } from './playback-loop';
import { createRunningClock } from './running-clock';

/** Playback rates, slowest first. */
export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/**
 * Playback of the main recording on the session's clock: playing state, rate, the playhead,
 * seeking, frame steps, a looped segment, the time field following the playhead, and the
 * position remembered for next time.
 */
export function usePlayback(o: {
  media: HTMLMediaElement | null;
  clock: MediaClock | null;
  sessionId: number;
  /** Where the reviewer was last time (null until the session is loaded). */
  lastPositionMs: number | null;
  durationMs: number;
  fps: number;
  loopRef: RefObject<Segment | null>;
  timeRef: RefObject<HTMLInputElement | null>;
}) {
  const { media, clock, sessionId, lastPositionMs, durationMs, fps, loopRef, timeRef } = o;
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  // Not React state: four changes a second while playing would render the whole player.
  const playhead = useMemo(() => createPlayhead(), []);

  // Where the session was when the main recording last changed (another angle shown big): the
  // new one starts there, playing if the last one was, and not at the position the session opened at.
  const handover = useRef<{ ms: number; playing: boolean } | null>(null);
  // Media element events: playing state, position, restore and remember the position.
  useEffect(() => {
    if (!media || lastPositionMs === null || !clock) return;
    setMediaError(null);
    const restore = () => {
      const from = handover.current;
      handover.current = null;
      const t = Math.min(from?.ms ?? lastPositionMs, durationMs);
      if (t > 0) clock.seekMs(t);
      if (from?.playing) void media.play().catch(() => undefined);
    };
    let saved = -1;
    const save = () => {
      const ms = clock.nowMs();
      if (ms === saved || !Number.isFinite(ms)) return;
      saved = ms;
      void api.call('sessions:savePosition', { id: sessionId, positionMs: ms }).catch(() => undefined);
    };
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const saveSoon = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 400);
    };
    // Not mid-seek: re-rendering then would only delay the frame the reviewer is waiting for.
    // (While playing, the loop below sets it when something shown changes.)
    const onTime = () => {
      if (!media.seeking) playhead.set(clock.nowMs());
    };
    const onPlay = () => setPlaying(true);
    const onPause = () => {
      setPlaying(false);
      save();
    };
    const onRate = () => setRate(media.playbackRate);
    const onError = () => {
      const code = media.error?.code;
      setMediaError(
        code === 4
          ? 'This recording cannot be played here (its format is not supported). The waveform and coding still work.'
          : 'The recording could not be loaded. If the file was moved, go back to the library and relink it.',
      );
    };
    if (media.readyState >= 1) restore();
    else media.addEventListener('loadedmetadata', restore, { once: true });
    media.addEventListener('seeked', onTime);
    media.addEventListener('seeked', saveSoon);
    media.addEventListener('play', onPlay);
    media.addEventListener('pause', onPause);
    media.addEventListener('ratechange', onRate);
    media.addEventListener('error', onError);
    // While playing, every 15 s (a pause, a seek, leaving the page and closing save at once): each
    // save is a request to the main process, in the browser host about 3 ms of the page's work.
    const interval = setInterval(() => !media.paused && save(), 15_000);
    window.addEventListener('pagehide', save);
    return () => {
      save();
      handover.current = { ms: clock.nowMs(), playing: !media.paused };
      clearTimeout(saveTimer);
      clearInterval(interval);
      window.removeEventListener('pagehide', save);
      media.removeEventListener('loadedmetadata', restore);
      media.removeEventListener('seeked', onTime);
      media.removeEventListener('seeked', saveSoon);
      media.removeEventListener('play', onPlay);
      media.removeEventListener('pause', onPause);
      media.removeEventListener('ratechange', onRate);
      media.removeEventListener('error', onError);
    };
  }, [media, clock, sessionId]); // eslint-disable-line react-hooks/exhaustive-deps

  // The playhead store and the time field follow the media: every frame while seeking or
  // stepping, exactly when it pauses, and while playing only when something shown changes (the
  // playhead's listeners say when: the next utterance, a growing segment), or to check that what
  // glides by itself still agrees with the media (PLAYING_TICK_MS). While playing, the field's
  // running time is the running clock's wheels, which the compositor turns: writing the field
  // once a second cost the page a frame a second (at ten a second it alone kept the player's main
  // thread busy 3 % of the time).
  useEffect(() => {
    const input = timeRef.current;
    if (!media || !clock || !input) return;
    const face = input.parentElement ? createRunningClock(input) : null;
    const showField = (ms: number) => {
      face?.stop();
      const text = formatTime(ms);
      if (input.value !== text) input.value = text;
    };
    const loop = followMedia(
      media,
      () => {
        const looping = loopRef.current;
        let ms = clock.nowMs();
        if (looping && !media.paused && ms >= looping.endMs) {
          clock.seekMs(looping.startMs);
          ms = clock.nowMs();
        }
        if (!media.seeking) playhead.set(ms);
        // What glides by itself (the overview's mark, the time's wheels) glides from here; a
        // waiting video stands.
        const moving = !media.paused && !media.seeking && media.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA;
        const now = performance.now();
        playhead.motion.set(moving ? { ms, at: now, rate: media.playbackRate } : null);
        // Not while the reviewer is typing a time in it.
        let restarted = false;
        if (document.activeElement !== input) {
          if (moving && face) restarted = face.run(ms, now, media.playbackRate);
          else showField(ms);
        }
        const next = untilSessionMs(ms, playhead.nextDue(ms), media.playbackRate);
        return restarted ? Math.min(next, RESTARTED_LOOK_MS) : next;
      },
      // Every frame while a segment loops (its end must be caught).
      { playingMs: PLAYING_TICK_MS, slowWhilePlaying: () => !loopRef.current },
    );
    // The field taking the focus shows the exact time (before its text is selected), and leaving
    // it without a new time shows the playhead's time again.
    const onFocus = () => showField(clock.nowMs());
    input.addEventListener('focus', onFocus);
    const onLeave = (e: FocusEvent) => e.target === input && loop.wake();
    document.addEventListener('focusout', onLeave);
    // A new listener (a segment being recorded) may need the playhead sooner than planned.
    const offDues = playhead.onDuesChange(() => !media.paused && loop.wake());
    return () => {
      offDues();
      loop.stop();
      face?.remove();
      input.removeEventListener('focus', onFocus);
      document.removeEventListener('focusout', onLeave);
    };
  }, [media, clock, loopRef, timeRef, playhead]);

  const seekMs = useCallback(
    (ms: number) => {
      if (!clock) return;
      clock.seekMs(Math.max(0, Math.min(durationMs, Math.round(ms))));
      playhead.set(clock.nowMs());
    },
    [clock, durationMs, playhead],
  );
  const togglePlay = useCallback(() => {
    if (!media) return;
    if (media.paused) void media.play().catch((e: unknown) => setMediaError(errorMessage(e)));
    else media.pause();
  }, [media]);
  const stepRate = useCallback(
    (dir: -1 | 0 | 1) => {
      if (!media) return;
      const i = RATES.indexOf(media.playbackRate as (typeof RATES)[number]);
      const next = dir === 0 ? 1 : RATES[Math.min(RATES.length - 1, Math.max(0, (i < 0 ? 2 : i) + dir))]!;
      media.playbackRate = next;
    },
    [media],
  );
  const frame = useCallback(
    (dir: -1 | 1) => {
      if (!media || !clock) return;
      media.pause();
      seekMs(clock.nowMs() + (dir * 1000) / fps);
    },
    [media, clock, fps, seekMs],
  );

  return { playing, rate, playhead, mediaError, seekMs, togglePlay, stepRate, frame };
}
