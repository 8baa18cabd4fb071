/**
 * The time field's face while the media plays: "HH:MM:SS.mmm" as a row of digit wheels over the
 * field, each turned by a stepped animation that the compositor plays. The running time then
 * costs the page's main thread nothing: no text changes, so no style, layout or paint, where
 * writing the field's value once a second cost a whole frame a second for an hour of playback.
 * The field itself keeps its exact value for when the media stops, is sought or the field gets
 * the focus; the wheels are hidden from assistive technology (the field is what they read).
 */

/** One digit of the face: it steps every `unit` ms of session time through `count` values. */
export interface Wheel {
  unit: number;
  count: number;
}

/** The face, character by character: a wheel, or a fixed separator. */
export const FACE: (Wheel | string)[] = [
  { unit: 36_000_000, count: 10 },
  { unit: 3_600_000, count: 10 },
  ':',
  { unit: 600_000, count: 6 },
  { unit: 60_000, count: 10 },
  ':',
  { unit: 10_000, count: 6 },
  { unit: 1_000, count: 10 },
  '.',
  { unit: 100, count: 10 },
  { unit: 10, count: 10 },
  { unit: 1, count: 10 },
];

/** The digit a wheel shows at session time `ms`. */
export const digitAt = (w: Wheel, ms: number) => Math.floor(Math.max(0, ms) / w.unit) % w.count;

/**
 * How a wheel's animation is timed so that it shows session time `ms` at page time `now` and
 * runs on at `rate`: its duration (one turn, page ms) and its start time on the page's clock.
 * (Its effect: `count` steps of one line each over the turn.)
 */
export function wheelTiming(w: Wheel, ms: number, now: number, rate: number) {
  const turn = w.unit * w.count;
  const into = ((Math.max(0, ms) % turn) + turn) % turn;
  return { duration: turn / rate, startTime: now - into / rate };
}

/** What the face shows at page time `now` while it runs (session ms), or null when it stands. */
export type Shown = (now: number) => number | null;

/**
 * Makes the face next to `field` (in its parent, which must be positioned) and returns its
 * controls. `lineHeight` is the height of one digit line in px, the wheels' step.
 */
export function createRunningClock(field: HTMLInputElement, lineHeight = 20) {
  const host = field.parentElement!;
  const face = document.createElement('span');
  face.className = 'time-run';
  face.setAttribute('aria-hidden', 'true');
  const strips: { wheel: Wheel; strip: HTMLElement }[] = [];
  for (const part of FACE) {
    if (typeof part === 'string') {
      const sep = document.createElement('span');
      sep.textContent = part;
      face.appendChild(sep);
      continue;
    }
    const win = document.createElement('span');
    win.className = 'wheel';
    const strip = document.createElement('span');
    strip.className = 'strip';
    strip.textContent = Array.from({ length: part.count }, (_, i) => String(i)).join('\n');
    win.appendChild(strip);
    face.appendChild(win);
    strips.push({ wheel: part, strip });
  }
  face.style.setProperty('--line', `${lineHeight}px`);
  host.appendChild(face);
  let anims: Animation[] = [];
  let from: { ms: number; at: number; rate: number } | null = null;
  const stop = () => {
    for (const a of anims) a.cancel();
    anims = [];
    from = null;
    host.classList.remove('running');
  };
  return {
    /**
     * Runs from session time `ms` at page time `now` at `rate`; a face already running within
     * `toleranceMs` of that at the same rate is left as it is (the media's clock and the page's
     * keep in step; a stall or a seek is what moves them apart). Whether it was (re)started.
     */
    run(ms: number, now: number, rate: number, toleranceMs = 30): boolean {
      if (from && from.rate === rate && Math.abs(from.ms + (now - from.at) * rate - ms) <= toleranceMs) return false;
      for (const a of anims) a.cancel();
      anims = strips.map(({ wheel, strip }) => {
        const { duration, startTime } = wheelTiming(wheel, ms, now, rate);
        const a = strip.animate(
          [{ transform: 'translateY(0)' }, { transform: `translateY(${-wheel.count * lineHeight}px)` }],
          { duration, iterations: Infinity, easing: `steps(${wheel.count}, end)` },
        );
        a.startTime = startTime;
        return a;
      });
      from = { ms, at: now, rate };
      host.classList.add('running');
      return true;
    },
    /** Stands: the field shows again (its value set by the caller). */
    stop,
    /** What it shows at page time `now`, or null when it stands. */
    shown: ((now: number) => (from ? from.ms + (now - from.at) * from.rate : null)) as Shown,
    get running() {
      return from !== null;
    },
    remove() {
      stop();
      face.remove();
    },
  };
}
export type RunningClock = ReturnType<typeof createRunningClock>;
