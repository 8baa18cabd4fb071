/**
 * The longest a loop following a playing media waits between looks (ms): what it shows changes
 * at moments it names itself (a page turn, the next utterance), and what moves by itself (the
 * playheads' glides, the time's wheels) is checked against the media this often. A stall, a seek
 * or a new speed wakes the loops at once (see followMedia), so what is left to catch here is the
 * slow drift between the media's clock and the page's.
 */
export const PLAYING_TICK_MS = 5000;

/**
 * How soon a loop looks again after it (re)started something that moves by itself (ms): a media
 * that has just started playing keeps a little behind what its first moments said, and that is
 * better corrected at once than in PLAYING_TICK_MS.
 */
export const RESTARTED_LOOK_MS = 1000;

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

/**
 * Stops the main video's `timeupdate`s (four a second while it plays, for an hour) at the window.
 * React listens at its root, in the capture phase, to every media event of every <video> inside
 * it, even one it did not render, and each `timeupdate` went through its event system for
 * nothing: about twice what the browser's own dispatch costs. Whoever needs them listens with
 * onTimeupdate. Returns its removal.
 */
export function quietTimeupdates(video: HTMLMediaElement): () => void {
  const stop = (e: Event) => e.target === video && e.stopPropagation();
  window.addEventListener('timeupdate', stop, true);
  return () => window.removeEventListener('timeupdate', stop, true);
}

/** Listens to `media`'s `timeupdate`s, quieted or not (see quietTimeupdates). Returns its removal. */
export function onTimeupdate(media: HTMLMediaElement, cb: () => void): () => void {
  const listener = (e: Event) => e.target === media && cb();
  window.addEventListener('timeupdate', listener, true);
  return () => window.removeEventListener('timeupdate', listener, true);
}
