/**
 * Automatic alignment of a session's recordings: where each recording starts on the session's
 * clock, found by cross-correlating its audio with the main recording's.
 *
 * 1. Coarse: the loudness envelopes already stored with the peaks (50 per second) are
 *    cross-correlated over every lag at once (FFT), normalised by the overlap, so a 60-minute pair
 *    costs a few FFTs of 2^19 points and no decoding. The best lag and how far it stands out from
 *    the next best give the confidence; a pair that shares no audio has no lag that stands out and
 *    gives "no match found".
 * 2. Fine: a short window (20 s) of both files is decoded around the best lag and the two 1-ms
 *    envelopes are correlated over ±60 ms, to the millisecond.
 */
import { spawnMediaTool } from '../media/ffmpeg-run';
import { AppError } from '../../shared/errors';
import { ffmpegPath } from '../media/binaries';
import { DETAIL_PAIRS_PER_SECOND } from '../media/media';
import { ffmpegInput } from '../protection/media-crypt';

const COARSE_FRAME_MS = 1000 / DETAIL_PAIRS_PER_SECOND; // 20 ms
const FINE_RATE = 8000;
const FINE_ENVELOPE_MS = 1;
const FINE_SEARCH_MS = 60;
const FINE_WINDOW_MS = 20_000;
/** Below this correlation, or when the peak does not stand out, there is no match. */
const MIN_CORRELATION = 0.3;
const MIN_CONFIDENCE = 0.25;

export interface AlignmentInput {
  /** Detail peaks: interleaved min/max pairs, 50 per second. */
  peaks: Int8Array;
  path: string;
  durationMs: number;
}

export interface AlignmentResult {
  /** Where the other recording starts relative to the main one's start, in ms; null: no match. */
  lagMs: number | null;
  /** 0–1: how clearly the best lag stands out from every other (0 when there is no match). */
  confidence: number;
  /** The normalised correlation of the envelopes at the best lag (−1 to 1). */
  correlation: number;
  /** How the figure was reached: refined on decoded audio, or from the envelopes alone. */
  refined: boolean;
  message: string | null;
}

/** The loudness envelope from min/max pairs, standardised (mean 0, standard deviation 1). */
export function envelope(peaks: Int8Array): Float64Array {
  const n = peaks.length >> 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(Math.max(-peaks[2 * i]!, peaks[2 * i + 1]!, 0));
  return standardise(out);
}

function standardise(x: Float64Array): Float64Array {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length || 1;
  let sd = 0;
  for (let i = 0; i < x.length; i++) sd += (x[i]! - mean) ** 2;
  sd = Math.sqrt(sd / (x.length || 1)) || 1;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) / sd;
  return x;
}

/** In-place iterative radix-2 FFT (inverse when `inverse`, unscaled). Length a power of two. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/**
 * The normalised cross-correlation (Pearson's r over the overlapping part) of `a` and `b` for
 * every lag L (b's sample j against a's sample j + L), from −(b.length − 1) to a.length − 1: the
 * products for all lags at once by FFT, the overlap's sums and sums of squares from prefix sums.
 * Returns the array indexed by L + b.length − 1 and the overlaps.
 */
export function crossCorrelate(a: Float64Array, b: Float64Array): { values: Float64Array; overlap: Int32Array } {
  const size = 1 << Math.ceil(Math.log2(a.length + b.length));
  const ar = new Float64Array(size);
  const ai = new Float64Array(size);
  const br = new Float64Array(size);
  const bi = new Float64Array(size);
  ar.set(a);
  br.set(b);
  fft(ar, ai);
  fft(br, bi);
  // A · conj(B) gives sum_j a[j + L] b[j] at index L (negative lags wrap around).
  for (let i = 0; i < size; i++) {
    const r = ar[i]! * br[i]! + ai[i]! * bi[i]!;
    const im = ai[i]! * br[i]! - ar[i]! * bi[i]!;
    ar[i] = r;
    ai[i] = im;
  }
  fft(ar, ai, true);
  const prefix = (x: Float64Array) => {
    const s = new Float64Array(x.length + 1);
    const q = new Float64Array(x.length + 1);
    for (let i = 0; i < x.length; i++) {
      s[i + 1] = s[i]! + x[i]!;
      q[i + 1] = q[i]! + x[i]! * x[i]!;
    }
    return { s, q };
  };
  const pa = prefix(a);
  const pb = prefix(b);
  const lags = a.length + b.length - 1;
  const values = new Float64Array(lags);
  const overlap = new Int32Array(lags);
  for (let idx = 0; idx < lags; idx++) {
    const lag = idx - (b.length - 1);
    const a0 = Math.max(0, lag);
    const a1 = Math.min(a.length, lag + b.length);
    const n = a1 - a0;
    overlap[idx] = n;
    if (n < 2) continue;
    const b0 = a0 - lag;
    const b1 = a1 - lag;
    const sab = ar[(lag + size) % size]! / size;
    const sa = pa.s[a1]! - pa.s[a0]!;
    const sb = pb.s[b1]! - pb.s[b0]!;
    const va = pa.q[a1]! - pa.q[a0]! - (sa * sa) / n;
    const vb = pb.q[b1]! - pb.q[b0]! - (sb * sb) / n;
    const den = Math.sqrt(Math.max(0, va) * Math.max(0, vb));
    values[idx] = den > 1e-9 ? Math.max(-1, Math.min(1, (sab - (sa * sb) / n) / den)) : 0;
  }
  return { values, overlap };
}

/** The coarse lag (ms), its correlation and how much it stands out, from the stored envelopes. */
export function coarseAlign(
  mainPeaks: Int8Array,
  otherPeaks: Int8Array,
): {
  lagMs: number;
  correlation: number;
  confidence: number;
} {
  const a = envelope(mainPeaks);
  const b = envelope(otherPeaks);
  const { values, overlap } = crossCorrelate(a, b);
  // Lags whose overlap is short give chance peaks: ask for half the shorter file, at most 60 s.
  const minOverlap = Math.max(50, Math.min(Math.floor(Math.min(a.length, b.length) / 2), 3000));
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (overlap[i]! >= minOverlap && (best < 0 || values[i]! > values[best]!)) best = i;
  }
  if (best < 0) return { lagMs: 0, correlation: 0, confidence: 0 };
  // The next best peak at least 1 s away.
  const guard = Math.round(1000 / COARSE_FRAME_MS);
  let second = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (overlap[i]! >= minOverlap && Math.abs(i - best) > guard) second = Math.max(second, values[i]!);
  }
  const r = values[best]!;
  const s = Math.max(0, second);
  const confidence = r <= 0 ? 0 : Math.max(0, Math.min(1, (r - s) / Math.max(1e-9, 1 - s)));
  // Parabolic interpolation between neighbouring lags: better than the 20-ms grid.
  let frac = 0;
  if (best > 0 && best < values.length - 1) {
    const y0 = values[best - 1]!;
    const y1 = values[best]!;
    const y2 = values[best + 1]!;
    const d = y0 - 2 * y1 + y2;
    if (d < 0) frac = Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / d));
  }
  const lagFrames = best - (b.length - 1) + frac;
  return { lagMs: lagFrames * COARSE_FRAME_MS, correlation: r, confidence };
}

/** Decodes [startMs, startMs + lengthMs) of a file's first audio stream to 8 kHz mono samples. */
export function decodeWindow(filePath: string, startMs: number, lengthMs: number): Promise<Int16Array> {
  return new Promise((resolve, reject) => {
    const child = spawnMediaTool(ffmpegPath(), [
      '-nostdin',
      '-v',
      'error',
      '-ss',
      (Math.max(0, startMs) / 1000).toFixed(3),
      '-t',
      (lengthMs / 1000).toFixed(3),
      '-i',
      filePath,
      '-map',
      '0:a:0',
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(FINE_RATE),
      '-f',
      's16le',
      'pipe:1',
    ]);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.resume();
    child.on('error', (e) => reject(new AppError('INTERNAL', `Could not run ffmpeg: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new AppError('MEDIA_CORRUPT', 'A recording could not be decoded for alignment.'));
      const buf = Buffer.concat(chunks);
      const copy = new Int16Array(buf.length >> 1);
      for (let i = 0; i < copy.length; i++) copy[i] = buf.readInt16LE(i * 2);
      resolve(copy);
    });
  });
}

/** A 1-ms loudness envelope of 8 kHz samples. */
function fineEnvelope(samples: Int16Array): Float64Array {
  const per = (FINE_RATE * FINE_ENVELOPE_MS) / 1000;
  const n = Math.floor(samples.length / per);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < per; j++) sum += Math.abs(samples[i * per + j]!);
    out[i] = sum / per;
  }
  // Smooth over 5 ms: the envelope, not the waveform's phase, is what two microphones share.
  const smooth = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += out[i]!;
    if (i >= 5) acc -= out[i - 5]!;
    smooth[i] = acc / Math.min(i + 1, 5);
  }
  return standardise(smooth);
}

/**
 * Refines a coarse lag on decoded audio: the main file's window at the middle of the overlap,
 * the other's window ±60 ms around where the coarse lag puts it. Returns the refined lag (ms), or
 * null when the windows cannot be compared (too short an overlap).
 */
export async function refineLag(
  main: AlignmentInput,
  other: AlignmentInput,
  coarseLagMs: number,
): Promise<number | null> {
  const overlapStart = Math.max(0, coarseLagMs);
  const overlapEnd = Math.min(main.durationMs, coarseLagMs + other.durationMs);
  const length = Math.min(FINE_WINDOW_MS, overlapEnd - overlapStart - 2 * FINE_SEARCH_MS);
  if (length < 2000) return null;
  const mainStart = Math.round(overlapStart + (overlapEnd - overlapStart - length) / 2);
  const otherStart = mainStart - coarseLagMs - FINE_SEARCH_MS;
  const [mainSamples, otherSamples] = await Promise.all([
    ffmpegInput(main.path).then((p) => decodeWindow(p, mainStart, length)),
    ffmpegInput(other.path).then((p) => decodeWindow(p, Math.max(0, otherStart), length + 2 * FINE_SEARCH_MS)),
  ]);
  const a = fineEnvelope(mainSamples);
  const b = fineEnvelope(otherSamples);
  // If the other window could not start early enough, its first sample is later than asked.
  const shiftMs = Math.max(0, otherStart) - otherStart;
  let bestLag = 0;
  let bestValue = -Infinity;
  const values = new Map<number, number>();
  for (let d = -FINE_SEARCH_MS; d <= FINE_SEARCH_MS; d++) {
    // b's sample at (d + FINE_SEARCH_MS - shift) corresponds to a's sample 0 when the lag is off by d.
    const offset = d + FINE_SEARCH_MS - shiftMs;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      const j = i + offset;
      if (j < 0 || j >= b.length) continue;
      sum += a[i]! * b[j]!;
      n++;
    }
    if (n < a.length / 2) continue;
    const v = sum / n;
    values.set(d, v);
    if (v > bestValue) {
      bestValue = v;
      bestLag = d;
    }
  }
  if (!Number.isFinite(bestValue)) return null;
  let frac = 0;
  const y0 = values.get(bestLag - 1);
  const y2 = values.get(bestLag + 1);
  if (y0 !== undefined && y2 !== undefined) {
    const den = y0 - 2 * bestValue + y2;
    if (den < 0) frac = Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / den));
  }
  // a's sample 0 is main time mainStart; it matches other time mainStart − lag. A positive d means
  // the other file's matching sound comes d ms later in its own file, so it started d ms earlier.
  return coarseLagMs - (bestLag + frac);
}

/** Finds where `other` starts relative to `main` (ms), with a confidence. */
export async function alignRecordings(main: AlignmentInput, other: AlignmentInput): Promise<AlignmentResult> {
  if (main.peaks.length < 100 || other.peaks.length < 100)
    return {
      lagMs: null,
      confidence: 0,
      correlation: 0,
      refined: false,
      message: 'The recordings are too short to align (under 1 s of audio).',
    };
  const coarse = coarseAlign(main.peaks, other.peaks);
  if (coarse.correlation < MIN_CORRELATION || coarse.confidence < MIN_CONFIDENCE) {
    return {
      lagMs: null,
      confidence: Math.round(coarse.confidence * 100) / 100,
      correlation: Math.round(coarse.correlation * 1000) / 1000,
      refined: false,
      message: 'No match found: the two recordings share no recognisable stretch of sound. Set the offset by hand.',
    };
  }
  const fine = await refineLag(main, other, coarse.lagMs).catch(() => null);
  // A refinement that wanders away from the coarse lag has found noise: keep the coarse figure.
  const refined = fine !== null && Math.abs(fine - coarse.lagMs) <= FINE_SEARCH_MS - 1;
  return {
    lagMs: Math.round(refined ? fine : coarse.lagMs),
    confidence: Math.round(coarse.confidence * 100) / 100,
    correlation: Math.round(coarse.correlation * 1000) / 1000,
    refined,
    message: null,
  };
}
