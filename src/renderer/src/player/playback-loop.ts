/**
 * How often what follows a playing media looks at it (the playhead glides by itself between):
 * the loops share this beat, so what they change shares a frame.
 */
export const PLAYING_TICK_MS = 250;

/**
 * A loop that follows a media element: every frame while it seeks (a drag, a frame step, a typed
 * time must show at once); while it plays, `playingMs` apart (nothing on the page needs 60
 * updates a second then: the playhead glides by itself); and not at all while it stands paused,
 * when its time cannot change without a seek. It runs at once again when the media pauses,
 * plays, waits for data, seeks or changes speed, or when `wake` is called (something else the
 * step shows changed). A step that returns `true` is not done yet (its data is still loading)
 * and runs again next frame.
 */
export function followMedia(
  media: HTMLMediaElement,
  step: (now: number) => boolean | void,
  opts: { playingMs: number; slowWhilePlaying?: () => boolean },
): { stop: () => void; wake: () => void } {
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (now: number) => {
    raf = 0;
    timer = undefined;
    let again = false;
    try {
      again = step(now) === true;
    } finally {
      // On the beat (multiples of playingMs on the page's clock): every loop following the media
      // changes the page in the same frame, not each in a frame of its own.
      if (!media.paused && !media.seeking && (opts.slowWhilePlaying?.() ?? true))
        timer = setTimeout(() => run(performance.now()), opts.playingMs - (performance.now() % opts.playingMs));
      // Playing every frame (a looped segment's end must be caught), seeking, or not done yet.
      else if (!media.paused || media.seeking || again) raf = requestAnimationFrame(run);
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
