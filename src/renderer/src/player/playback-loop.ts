/**
 * The longest a loop following a playing media waits between looks (ms): what it shows changes
 * at moments it names itself (the next whole second, a page turn, the next utterance), and this
 * bounds how long a drift (the video stalling, the playhead's glide) can stay uncorrected.
 */
export const PLAYING_TICK_MS = 1000;

/**
 * After a moment a step named, how much later it runs (ms): timers fire a little early or late
 * against the media's clock, and a look just before the moment would find nothing changed and
 * need another task a few milliseconds later.
 */
const PAST_THE_MOMENT_MS = 12;

/**
 * How long (ms, on the page's clock) until session time `dueMs` is reached from `nowMs` at
 * `rate`, and a little past it (see PAST_THE_MOMENT_MS): what a step returns to be run then.
 */
export function untilSessionMs(nowMs: number, dueMs: number, rate: number): number {
  if (!(rate > 0) || !Number.isFinite(dueMs)) return Infinity;
  return Math.max(0, dueMs - nowMs) / rate + PAST_THE_MOMENT_MS;
}

/** The session time of the next whole second after `ms`. */
export const nextSecondMs = (ms: number) => (Math.floor(ms / 1000) + 1) * 1000;

/**
 * A loop that follows a media element: every frame while it seeks (a drag, a frame step, a typed
 * time must show at once); while it plays, when the step says what it shows changes next (it
 * returns how many ms from now; nothing on the page needs 60 updates a second then: the playhead
 * glides by itself), at most `playingMs` apart; and not at all while it stands paused, when its
 * time cannot change without a seek. It runs at once again when the media pauses, plays, waits
 * for data, seeks or changes speed, or when `wake` is called (something else the step shows
 * changed). A step that returns `true` is not done yet (its data is still loading) and runs
 * again next frame.
 */
export function followMedia(
  media: HTMLMediaElement,
  step: (now: number) => boolean | number | void,
  opts: { playingMs: number; slowWhilePlaying?: () => boolean },
): { stop: () => void; wake: () => void } {
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (now: number) => {
    raf = 0;
    timer = undefined;
    let answer: boolean | number | void = undefined;
    try {
      answer = step(now);
    } finally {
      if (!media.paused && !media.seeking && answer !== true && (opts.slowWhilePlaying?.() ?? true)) {
        const wait = typeof answer === 'number' ? Math.min(opts.playingMs, Math.max(1, answer)) : opts.playingMs;
        timer = setTimeout(() => run(performance.now()), wait);
      }
      // Playing every frame (a looped segment's end must be caught), seeking, or not done yet.
      else if (!media.paused || media.seeking || answer === true) raf = requestAnimationFrame(run);
      // Paused and shown: asleep until an event wakes it (a paused page draws no frames).
    }
  };
  const wake = () => {
    clearTimeout(timer);
    cancelAnimationFrame(raf);
    raf = requestAnimationFrame(run);
  };
  const events = ['pause', 'play', 'playing', 'waiting', 'seeking', 'seeked', 'ratechange'];
  for (const e of events) media.addEventListener(e, wake);
  raf = requestAnimationFrame(run);
  return {
    stop: () => {
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      for (const e of events) media.removeEventListener(e, wake);
    },
    wake,
  };
}
