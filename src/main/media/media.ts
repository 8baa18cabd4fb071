/**
 * Media facts: probing a file with ffprobe, its content fingerprint, and waveform peaks decoded
 * by an ffmpeg child process (so decoding never blocks the app's event loop).
 */
import { decodeText } from '../interop/decode';
import { detectFormat, formatLabel, type Detected } from '../interop/detect';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { EncryptedMedia, isEncryptedMedia, keyForFile } from '../protection/media-crypt';
import os from 'node:os';
import type { PeakLevel, Probe, ProbeStream } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { spawnMediaTool } from './ffmpeg-run';
import { ffmpegPath, ffprobePath } from './binaries';
import { createSpeechFrames } from '../talk/speech-worker';

const MIB = 1024 * 1024;

/** Sample rate the waveform is decoded at: plenty for speech envelopes, and cheap. */
export const PEAK_SAMPLE_RATE = 8000;
/** Detail level: one min/max pair per 20 ms (enough for a ~10 s window across a wide screen). */
export const DETAIL_PAIRS_PER_SECOND = 50;
export const COARSE_PAIRS_PER_SECOND = 5;
/** The overview covers the whole session in this many pairs, whatever its length. */
export const OVERVIEW_PAIRS = 2000;

/** Checks that a path is a readable, non-empty regular file; returns its size. */
export async function checkFile(filePath: string): Promise<number> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(filePath);
  } catch (error) {
    throw fileError(error, filePath);
  }
  if (!stat.isFile()) throw new AppError('NOT_MEDIA', `${baseName(filePath)} is a folder, not a recording.`);
  if (stat.size === 0) {
    throw new AppError(
      'FILE_EMPTY',
      `${baseName(filePath)} is empty (0 bytes). Export the recording again and import the new file.`,
    );
  }
  let head: Buffer;
  try {
    const handle = await fs.promises.open(filePath, 'r');
    try {
      head = Buffer.alloc(Math.min(stat.size, 8192));
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error, filePath);
  }
  const other = annotationFileKind(head);
  if (other)
    throw new AppError(
      'NOT_MEDIA',
      `${baseName(filePath)} is ${/^[aeiou]/i.test(other) ? 'an' : 'a'} ${other}, not a recording: bring it in with “Import / export…” in the player (or alliance-review annotations import).`,
    );
  return stat.size;
}

/** Names another tool's text file (ELAN, BORIS, subtitles) given as a recording; null for anything else. */
function annotationFileKind(head: Buffer): string | null {
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (!utf16 && head.includes(0)) return null; // binary: a recording, or not text at all
  let found: Detected;
  try {
    found = detectFormat(decodeText(head.subarray(0, utf16 ? head.length & ~1 : head.length)).text);
  } catch {
    return null;
  }
  return found === 'alliance-csv' ||
    found === 'rater-csv' ||
    found === 'ratings-csv' ||
    found === 'empty' ||
    found === 'unknown'
    ? null
    : formatLabel(found);
}

/** Maps a Node file-system error to a message about the user's file. */
export function fileError(error: unknown, filePath: string): AppError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = baseName(filePath);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new AppError(
        'FILE_MISSING',
        `${name} is not at ${filePath} any more. It may have been moved, renamed or deleted.`,
      );
    case 'EACCES':
    case 'EPERM':
      return new AppError(
        'FILE_UNREADABLE',
        `Alliance Review is not allowed to read ${name}. Check the file's permissions.`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('DISK_FULL', 'The disk is full. Free some space and try again; nothing was changed.');
    case 'EISDIR':
      return new AppError('NOT_MEDIA', `${name} is a folder, not a recording.`);
    default:
      return new AppError('FILE_UNREADABLE', `${name} could not be read (${code ?? 'unknown error'}).`);
  }
}

export function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

/**
 * Content fingerprint: size plus a SHA-256 of the first and last MiB. Cheap on a 2 GB file, and
 * enough to recognise the same recording after it was moved or renamed.
 */
/**
 * The fingerprint of an open file (same formula as `fingerprint`), read from the descriptor so
 * that what is checked is exactly what will be served, even if the path is swapped meanwhile.
 */
export function fingerprintFd(fd: number, size: number): string {
  return fingerprintOf((buf, pos) => fs.readSync(fd, buf, 0, buf.length, pos), size);
}

/** The fingerprint of `size` bytes read through `read` (a plain file, or an encrypted copy's plain bytes). */
export function fingerprintOf(read: (buf: Buffer, pos: number) => number, size: number): string {
  const hash = createHash('sha256');
  const head = Buffer.alloc(Math.min(MIB, size));
  read(head, 0);
  hash.update(head);
  if (size > MIB) {
    const tailLen = Math.min(MIB, size - MIB);
    const tail = Buffer.alloc(tailLen);
    read(tail, size - tailLen);
    hash.update(tail);
  }
  return `${size}:${hash.digest('hex').slice(0, 32)}`;
}

export async function fingerprint(filePath: string): Promise<string> {
  const key = keyForFile(filePath);
  if (key && isEncryptedMedia(filePath)) {
    // A protected library's copy: the fingerprint of what it holds, not of its encryption.
    const m = EncryptedMedia.open(filePath, key);
    try {
      return fingerprintOf((buf, pos) => m.read(buf, pos), m.plainBytes);
    } finally {
      m.close();
    }
  }
  const handle = await fs.promises.open(filePath, 'r').catch((e: unknown) => {
    throw fileError(e, filePath);
  });
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256');
    const head = Buffer.alloc(Math.min(MIB, size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > MIB) {
      const tailLen = Math.min(MIB, size - MIB);
      const tail = Buffer.alloc(tailLen);
      await handle.read(tail, 0, tailLen, size - tailLen);
      hash.update(tail);
    }
    return `${size}:${hash.digest('hex').slice(0, 32)}`;
  } finally {
    await handle.close();
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnMediaTool(bin, args, { signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 20_000)));
    child.on('error', (e) => {
      if ((e as Error).name === 'AbortError') reject(new AppError('CANCELLED', 'Import cancelled.'));
      else reject(new AppError('INTERNAL', `Could not run ${bin}: ${e.message}`));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
    disposition?: { attached_pic?: number };
  }[];
}

/** Probes duration and streams. Throws a specific AppError for files that are not usable media. */
export async function probe(filePath: string, signal?: AbortSignal): Promise<Probe> {
  const name = baseName(filePath);
  const res = await run(
    ffprobePath(),
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', filePath],
    signal,
  );
  if (res.code !== 0) {
    const msg = res.stderr.toLowerCase();
    if (msg.includes('no such file')) throw fileError({ code: 'ENOENT' }, filePath);
    if (msg.includes('permission denied')) throw fileError({ code: 'EACCES' }, filePath);
    if (await looksLikeMedia(filePath)) {
      throw new AppError(
        'MEDIA_CORRUPT',
        `${name} is damaged or incomplete (it may have been cut off while copying or recording). Try the original file.`,
      );
    }
    throw new AppError('NOT_MEDIA', `${name} is not a video or audio recording that Alliance Review can read.`);
  }
  let parsed: FfprobeJson;
  try {
    parsed = JSON.parse(res.stdout) as FfprobeJson;
  } catch {
    throw new AppError('NOT_MEDIA', `${name} is not a video or audio recording that Alliance Review can read.`);
  }
  const streams: ProbeStream[] = [];
  for (const s of parsed.streams ?? []) {
    if (s.codec_type === 'video' && !s.disposition?.attached_pic) {
      streams.push({
        kind: 'video',
        codec: s.codec_name ?? 'unknown',
        width: s.width,
        height: s.height,
        fps: parseRate(s.avg_frame_rate) ?? parseRate(s.r_frame_rate),
      });
    } else if (s.codec_type === 'audio') {
      streams.push({
        kind: 'audio',
        codec: s.codec_name ?? 'unknown',
        sampleRate: s.sample_rate ? Number(s.sample_rate) : undefined,
        channels: s.channels,
      });
    }
  }
  if (streams.length === 0) {
    throw new AppError('NO_STREAMS', `${name} has no audio or video stream.`);
  }
  const seconds = Number(parsed.format?.duration ?? parsed.streams?.find((s) => s.duration)?.duration);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new AppError(
      'MEDIA_CORRUPT',
      `${name} has no readable duration; it is probably damaged or still being written.`,
    );
  }
  return {
    formatName: parsed.format?.format_name ?? 'unknown',
    durationMs: Math.round(seconds * 1000),
    streams,
  };
}

/**
 * Whether a file starts like a media container (MP4/MOV, Matroska/WebM, RIFF/WAV/AVI, Ogg, FLAC,
 * MP3 or ADTS AAC). Used only to word the error when ffprobe fails: a file that starts like media
 * but cannot be read is damaged; anything else is not a recording at all.
 */
export async function looksLikeMedia(filePath: string): Promise<boolean> {
  let head: Buffer;
  try {
    const handle = await fs.promises.open(filePath, 'r');
    try {
      head = Buffer.alloc(12);
      const { bytesRead } = await handle.read(head, 0, 12, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  if (head.length < 4) return false;
  const box = head.subarray(4, 8).toString('latin1');
  if (['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(box)) return true;
  const magic = head.subarray(0, 4).toString('latin1');
  if (['RIFF', 'OggS', 'fLaC', 'FORM'].includes(magic)) return true;
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return true; // EBML
  if (magic.startsWith('ID3')) return true;
  return head[0] === 0xff && (head[1]! & 0xe0) === 0xe0; // MPEG audio / ADTS sync word
}

function parseRate(r: string | undefined): number | undefined {
  if (!r) return undefined;
  const [n, d] = r.split('/').map(Number);
  if (!n || !d) return undefined;
  return Math.round((n / d) * 1000) / 1000;
}

export interface PeakSet {
  level: PeakLevel;
  pairsPerSecond: number;
  /** Interleaved [min, max] pairs, full scale ±127. */
  data: Int8Array;
}

export interface AudioAnalysis {
  peaks: PeakSet[];
  /** Speech frames per channel (one or two), or null when not asked for. */
  speech: Uint8Array[] | null;
}

/** The waveform alone (the mono mix), as `analyzeAudio` computes it. */
export async function computePeaks(
  filePath: string,
  durationMs: number,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<PeakSet[]> {
  return (await analyzeAudio(filePath, durationMs, { channels: 1, speech: false }, onProgress, signal)).peaks;
}

/** Recordings shorter than this are decoded in one piece (more processes would not pay off). */
const PARALLEL_FROM_MS = 5 * 60_000;

/** How many pieces to decode at once: one per core, at most four. */
export function decodeParts(durationMs: number): number {
  if (durationMs < PARALLEL_FROM_MS) return 1;
  return Math.max(1, Math.min(4, cores()));
}

const cores = () => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);

/**
 * Decodes the first audio stream at 8 kHz in ffmpeg child processes and reduces it, while it
 * streams, to min/max pairs of the mono mix at the detail rate (coarser levels are derived from
 * that) and, with `speech`, to speech frames per channel (two channels are kept apart, so that one
 * microphone per channel gives one speaker lane each).
 */
export async function analyzeAudio(
  filePath: string,
  durationMs: number,
  options: { channels: number; speech: boolean; parts?: number },
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AudioAnalysis> {
  const channels = options.channels >= 2 ? 2 : 1;
  // Time ranges on whole detail pairs (20 ms, also the speech frame), decoded side by side by one
  // ffmpeg each and joined: on a machine with two cores an hour decodes in about half the time.
  const parts = Math.max(1, Math.min(options.parts ?? decodeParts(durationMs), Math.floor(durationMs / 1000) || 1));
  const pairMs = 1000 / DETAIL_PAIRS_PER_SECOND;
  const totalPairs = Math.ceil(durationMs / pairMs);
  const per = Math.ceil(totalPairs / parts);
  const ranges = Array.from({ length: parts }, (_, i) => ({
    startMs: i * per * pairMs,
    // The last range runs to the end of the file, whatever the probe said its length was.
    pairs: i === parts - 1 ? null : per,
  }));
  // Voice detection in a worker per range only when two cores are left over from the decoders
  // (this thread's and the workers'; see speech-worker.ts): where the cores are busy decoding, a
  // worker only adds work.
  const inWorker = options.speech && cores() >= parts + 2;
  const expected = Math.max(1, Math.round((durationMs / 1000) * PEAK_SAMPLE_RATE));
  const seen = new Array<number>(parts).fill(0);
  let lastReported = -1;
  const report = () => {
    const fraction = Math.min(1, seen.reduce((a, b) => a + b, 0) / expected);
    const pct = Math.floor(fraction * 100);
    if (pct !== lastReported) {
      lastReported = pct;
      onProgress(fraction);
    }
  };
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort();
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  let pieces: DecodedRange[];
  try {
    pieces = await Promise.all(
      ranges.map((r, i) =>
        decodeRange(
          filePath,
          r.startMs,
          r.pairs,
          channels,
          options.speech,
          inWorker,
          durationMs / parts,
          inner.signal,
          (n) => {
            seen[i] = n;
            report();
          },
        ).catch((error: unknown) => {
          inner.abort();
          throw signal?.aborted ? new AppError('CANCELLED', 'Import cancelled.') : error;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onOuterAbort);
  }
  if (signal?.aborted) throw new AppError('CANCELLED', 'Import cancelled.');
  const pairCount = pieces.reduce((a, p) => a + p.pairCount, 0);
  const pairs = new Int16Array(pairCount * 2);
  let at = 0;
  for (const p of pieces) {
    pairs.set(p.pairs.subarray(0, p.pairCount * 2), at);
    at += p.pairCount * 2;
  }
  let speech: Uint8Array[] | null = null;
  if (options.speech) {
    speech = Array.from({ length: channels }, (_, c) => {
      const length = pieces.reduce((a, p) => a + (p.speech?.[c]?.length ?? 0), 0);
      const joined = new Uint8Array(length);
      let o = 0;
      for (const p of pieces) {
        const part = p.speech?.[c] ?? new Uint8Array(0);
        joined.set(part, o);
        o += part.length;
      }
      return joined;
    });
  }
  const detail = toInt8(pairs, pairCount);
  const coarse = reduce(detail, DETAIL_PAIRS_PER_SECOND / COARSE_PAIRS_PER_SECOND);
  const overviewFactor = Math.max(1, Math.ceil(pairCount / OVERVIEW_PAIRS));
  const overview = reduce(detail, overviewFactor);
  return {
    peaks: [
      { level: 'detail', pairsPerSecond: DETAIL_PAIRS_PER_SECOND, data: detail },
      { level: 'coarse', pairsPerSecond: COARSE_PAIRS_PER_SECOND, data: coarse },
      { level: 'overview', pairsPerSecond: DETAIL_PAIRS_PER_SECOND / overviewFactor, data: overview },
    ],
    speech,
  };
}

interface DecodedRange {
  pairs: Int16Array;
  pairCount: number;
  speech: Uint8Array[] | null;
}

/**
 * Decodes one time range of the first audio stream at 8 kHz (the mono mix, or two channels kept
 * apart) into min/max pairs of the mix and, when asked, speech frames per channel. A range that
 * is not the last is cut or padded to exactly `pairs` pairs (and as many speech frames), so that
 * joined ranges stay on the clock.
 */
async function decodeRange(
  filePath: string,
  startMs: number,
  wantPairs: number | null,
  channels: 1 | 2,
  withSpeech: boolean,
  speechInWorker: boolean,
  approxMs: number,
  signal: AbortSignal,
  onSamples: (samplesPerChannel: number) => void,
): Promise<DecodedRange> {
  const analyzer = withSpeech ? await createSpeechFrames(channels, approxMs, speechInWorker) : null;
  const samplesPerPair = PEAK_SAMPLE_RATE / DETAIL_PAIRS_PER_SECOND;
  const capacity = (wantPairs ?? Math.ceil((approxMs / 1000) * DETAIL_PAIRS_PER_SECOND)) + 64;
  let pairs = new Int16Array(capacity * 2);
  let pairCount = 0;
  let bucketMin = 32767;
  let bucketMax = -32768;
  let bucketFill = 0;
  let samplesSeen = 0;
  let carry: Buffer | null = null;
  const limit = wantPairs === null ? Infinity : wantPairs * samplesPerPair;

  const pushPair = () => {
    if (pairCount * 2 + 2 > pairs.length) {
      const bigger = new Int16Array(pairs.length * 2);
      bigger.set(pairs);
      pairs = bigger;
    }
    pairs[pairCount * 2] = bucketMin;
    pairs[pairCount * 2 + 1] = bucketMax;
    pairCount++;
    bucketMin = 32767;
    bucketMax = -32768;
    bucketFill = 0;
  };

  const consume = (chunk: Buffer) => {
    let buf = chunk;
    if (carry) {
      buf = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let usable = buf.length - (buf.length % (2 * channels));
    if (usable < buf.length) carry = buf.subarray(usable);
    // Samples past the range's end (ffmpeg's -t can run over by a packet) are not this range's.
    const room = (limit - samplesSeen) * 2 * channels;
    if (room <= 0) return;
    if (usable > room) {
      usable = room;
      carry = null;
    }
    // Aligned view when possible; copy otherwise (rare).
    const view =
      buf.byteOffset % 2 === 0
        ? new Int16Array(buf.buffer, buf.byteOffset, usable / 2)
        : new Int16Array(Uint8Array.from(buf.subarray(0, usable)).buffer);
    // A pair's worth of samples at a time, on local variables (the running pair lives in this
    // function's closure, and reading and writing it for every sample cost about twice as much).
    const stride = channels;
    const len = view.length;
    let mn = bucketMin;
    let mx = bucketMax;
    let i = 0;
    while (i < len) {
      const end = Math.min(len, i + (samplesPerPair - bucketFill) * stride);
      const taken = (end - i) / stride;
      if (stride === 1) {
        for (; i < end; i++) {
          const v = view[i]!;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
      } else {
        // The mono mix ffmpeg's own downmix would give: the mean of the two channels.
        for (; i < end; i += 2) {
          const v = (view[i]! + view[i + 1]!) >> 1;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
      }
      bucketFill += taken;
      if (bucketFill === samplesPerPair) {
        bucketMin = mn;
        bucketMax = mx;
        pushPair();
        mn = 32767;
        mx = -32768;
      }
    }
    bucketMin = mn;
    bucketMax = mx;
    analyzer?.push(view);
    samplesSeen += view.length / channels;
    onSamples(samplesSeen);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const args = ['-nostdin', '-v', 'error'];
      if (startMs > 0) args.push('-ss', (startMs / 1000).toFixed(3));
      if (wantPairs !== null) args.push('-t', ((wantPairs * samplesPerPair) / PEAK_SAMPLE_RATE + 0.1).toFixed(3));
      args.push(
        // A camera file's video is dropped by the demuxer as it is read, not passed on and then
        // ignored: about 3 % of the decode of the bench's hour, the same bytes out.
        '-discard:v',
        'all',
        '-i',
        filePath,
        '-map',
        '0:a:0',
        '-vn',
        '-sn',
        '-dn',
        '-ac',
        String(channels),
        // Down to 8 kHz with a short resampling filter (8 taps a phase; ffmpeg's default is 32):
        // the waveform's min/max pairs and the voice detector's bands do not need more, and the
        // default filter was a quarter of the whole decode.
        '-af',
        `aresample=${PEAK_SAMPLE_RATE}:filter_size=8`,
        // Without this ffmpeg flushes every ~20 ms packet into the pipe: ~170,000 tiny writes an
        // hour, which made decoding through the pipe ~35 % slower than decoding to a file.
        '-flush_packets',
        '0',
        '-f',
        's16le',
        '-acodec',
        'pcm_s16le',
        'pipe:1',
      );
      const child = spawnMediaTool(ffmpegPath(), args, { signal });
      let stderr = '';
      child.stdout.on('data', consume);
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 20_000)));
      child.on('error', (e) => {
        if ((e as Error).name === 'AbortError') reject(new AppError('CANCELLED', 'Import cancelled.'));
        else reject(new AppError('INTERNAL', `Could not run ffmpeg: ${e.message}`));
      });
      child.on('close', (code) => {
        if (signal.aborted) return reject(new AppError('CANCELLED', 'Import cancelled.'));
        if (code !== 0) {
          const name = baseName(filePath);
          if (/no such file/i.test(stderr)) return reject(fileError({ code: 'ENOENT' }, filePath));
          return reject(
            new AppError(
              'MEDIA_CORRUPT',
              `${name} could not be decoded to the end; it is probably damaged. Try the original file.`,
            ),
          );
        }
        resolve();
      });
    });
  } catch (error) {
    analyzer?.close();
    throw error;
  }
  if (bucketFill > 0 && (wantPairs === null || pairCount < wantPairs)) pushPair();
  let speech = analyzer ? await analyzer.finish() : null;
  if (wantPairs !== null) {
    // Pad a range that came out short (a packet less at its end) with silence, so what follows
    // stays on the clock.
    while (pairCount < wantPairs) {
      bucketMin = 0;
      bucketMax = 0;
      pushPair();
    }
    pairCount = wantPairs;
    speech =
      speech?.map((f) => {
        if (f.length === wantPairs) return f;
        const fixed = new Uint8Array(wantPairs);
        fixed.set(f.subarray(0, wantPairs));
        return fixed;
      }) ?? null;
  }
  return { pairs, pairCount, speech };
}

/** Scales 16-bit min/max pairs to 8 bits; rounding away from zero keeps quiet speech visible. */
function toInt8(pairs: Int16Array, count: number): Int8Array {
  const out = new Int8Array(count * 2);
  for (let i = 0; i < count * 2; i++) {
    const v = pairs[i]!;
    out[i] = v >= 0 ? Math.min(127, Math.ceil(v / 256)) : Math.max(-127, Math.floor(v / 256));
  }
  return out;
}

/** Merges every `factor` consecutive pairs into one (min of mins, max of maxes). */
export function reduce(pairs: Int8Array, factor: number): Int8Array {
  const count = pairs.length / 2;
  const outCount = Math.ceil(count / factor);
  const out = new Int8Array(outCount * 2);
  for (let o = 0; o < outCount; o++) {
    let mn = 127;
    let mx = -127;
    const end = Math.min(count, (o + 1) * factor);
    for (let i = o * factor; i < end; i++) {
      const a = pairs[i * 2]!;
      const b = pairs[i * 2 + 1]!;
      if (a < mn) mn = a;
      if (b > mx) mx = b;
    }
    out[o * 2] = mn;
    out[o * 2 + 1] = mx;
  }
  return out;
}
