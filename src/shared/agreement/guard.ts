/**
 * The last gate every agreement figure passes before anyone sees it (CLI JSON and text, the
 * app's views, the report, the methods text): a figure knows its possible range, and an estimate
 * outside it, an infinite or NaN value, or an interval that does not contain its estimate becomes
 * null with a note that says why. A bound cut to the range is said, never silent. Pure.
 */

/** The possible range of a figure: [min, max]. */
export type Range = readonly [number, number];

export const RANGES = {
  /** Cohen's, Fleiss', Conger's, Light's and weighted kappa; PABAK; Gwet's AC; alpha. */
  coefficient: [-1, 1],
  /** Shares and agreement proportions (event agreement, positive/negative agreement, IoU). */
  share: [0, 1],
  /** A single-rater ICC with k raters lies in [−1/(k − 1), 1]. */
  iccSingle: (k: number): Range => [-1 / Math.max(1, k - 1), 1],
  /**
   * An average-rater ICC is the Spearman–Brown step-up of a single-rater one, which maps
   * [−1/(k − 1), 1] onto (−∞, 1]; below −1 it says only that the raters disagree more than the
   * targets differ, so it is reported in [−1, 1] and withheld (with the value in the note) below.
   */
  iccAverage: [-1, 1],
} as const satisfies Record<string, Range | ((k: number) => Range)>;

/** Below this many independent clusters (blocks of time, sessions, units) no interval is shown. */
export const MIN_CLUSTERS = 5;
/** From MIN_CLUSTERS up to this many, an interval is shown with a warning that it rests on few. */
export const FEW_CLUSTERS = 10;

const EPS = 1e-9;

/** A figure as reports print it: six decimals, or null for no number. */
export const round6 = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1e6) / 1e6;

/**
 * A computed figure as a report gives it: rounded, in its range, or null with the reason written to
 * `notes[key]` (the figure's own note when it could not be computed, the guard's when it is impossible).
 */
export function reportFigure(
  notes: Record<string, string>,
  key: string,
  label: string,
  s: { value: number | null; note?: string },
  range: Range,
): number | null {
  if (s.value === null) {
    if (s.note) notes[key] = s.note;
    return null;
  }
  const checked = checkValue(label, round6(s.value), range);
  if (checked.note) notes[key] = checked.note;
  return checked.value;
}

const show = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : String(x));

/** An estimate in its range, or null with the reason (the computed value is named). */
export function checkValue(
  label: string,
  value: number | null | undefined,
  range: Range,
): { value: number | null; note?: string } {
  if (value === null || value === undefined) return { value: null };
  if (Number.isNaN(value))
    return { value: null, note: `${label} could not be computed (the arithmetic gave no number).` };
  if (!Number.isFinite(value))
    return { value: null, note: `${label} could not be computed (the arithmetic gave an infinite value).` };
  if (value < range[0] - EPS || value > range[1] + EPS)
    return {
      value: null,
      note: `${label} came out as ${show(value)}, outside its possible range [${show(range[0])}, ${show(range[1])}]; it is not reported.`,
    };
  // Within rounding of a bound: the bound (e.g. 1.0000000000000002 is 1).
  return { value: Math.min(range[1], Math.max(range[0], value)) };
}

export interface IntervalCheck {
  lower: number | null;
  upper: number | null;
  note?: string;
}

/**
 * An interval as it may be shown, or null bounds with the reason. `truncate`: an analytic
 * (normal or F) interval may reach past the range; it is cut to the range, and the note says so.
 * A resampled (percentile) interval may not: its resamples are values of the figure itself.
 */
export function checkInterval(
  label: string,
  value: number | null | undefined,
  lower: number | null | undefined,
  upper: number | null | undefined,
  range: Range,
  opts: { truncate: boolean; resampled?: boolean },
): IntervalCheck {
  if (lower === null || lower === undefined || upper === null || upper === undefined)
    return { lower: null, upper: null };
  const none = (note: string): IntervalCheck => ({ lower: null, upper: null, note });
  if (value === null || value === undefined) return none(`${label} has no interval because it has no estimate.`);
  if (!Number.isFinite(lower) || !Number.isFinite(upper))
    return none(`${label}'s interval could not be computed (a bound is infinite or not a number).`);
  if (lower > upper + EPS) return none(`${label}'s interval came out reversed; it is not reported.`);
  const notes: string[] = [];
  let lo = lower;
  let hi = upper;
  if (lo < range[0] - EPS || hi > range[1] + EPS) {
    if (!opts.truncate)
      return none(
        `${label}'s interval [${show(lo)}, ${show(hi)}] leaves the figure's possible range [${show(range[0])}, ${show(range[1])}]; it is not reported.`,
      );
    const cut = [
      lo < range[0] - EPS ? `the lower bound ${show(lo)} at ${show(range[0])}` : '',
      hi > range[1] + EPS ? `the upper bound ${show(hi)} at ${show(range[1])}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    notes.push(`${label}'s interval is cut to the figure's possible range (${cut}).`);
  }
  lo = Math.max(range[0], lo);
  hi = Math.min(range[1], hi);
  if (value < lo - EPS || value > hi + EPS)
    return none(
      `${label}'s interval [${show(lo)}, ${show(hi)}] does not contain its estimate ${show(value)}, so it says nothing reliable about it; it is not reported.`,
    );
  if (opts.resampled && hi - lo < EPS)
    return none(
      `${label}'s interval has no width (every resample gave ${show(lo)}), which says nothing about its precision; it is not reported.`,
    );
  return { lower: lo, upper: hi, ...(notes.length ? { note: notes.join(' ') } : {}) };
}

/** A note about how many clusters an interval rests on, or the reason it is withheld. */
export function clusterCheck(clusters: number, what: string): { withhold: boolean; note?: string } {
  if (clusters < MIN_CLUSTERS)
    return {
      withhold: true,
      note: `No interval: it would rest on ${clusters} ${what}${clusters === 1 ? '' : 's'}, fewer than the ${MIN_CLUSTERS} a resampling interval needs to mean anything.`,
    };
  if (clusters < FEW_CLUSTERS)
    return {
      withhold: false,
      note: `The interval rests on only ${clusters} ${what}s (fewer than ${FEW_CLUSTERS}); read it as rough.`,
    };
  return { withhold: false };
}
