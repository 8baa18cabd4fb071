/**
 * A loop that follows a media element: every frame while it is paused, seeking or stepping
 * (a drag, a frame step, a typed time must show at once); while it plays, `playingMs` apart
 * (nothing on the page needs 60 updates a second then: the playhead glides by itself), and at
 * once again when it pauses, plays, waits for data, seeks or changes speed. Returns the stop.
 */
export function followMedia(
  media: HTMLMediaElement,
  step: (now: number) => void,
  opts: { playingMs: number; slowWhilePlaying?: () => boolean },
): () => void {
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (now: number) => {
    timer = undefined;
    try {
      step(now);
    } finally {
      if (!media.paused && !media.seeking && (opts.slowWhilePlaying?.() ?? true))
        timer = setTimeout(() => run(performance.now()), opts.playingMs);
      else raf = requestAnimationFrame(run);
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
  return () => {
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    for (const e of events) media.removeEventListener(e, wake);
  };
}
