/**
 * Speech frames: for every 20 ms of a recording's audio, per channel, whether the WebRTC voice
 * activity detector hears speech and how loud the channel is. Computed while the peaks are decoded
 * (the same ffmpeg pass), stored with the recording, and turned into speaker lanes on the
 * session's clock by `shared/talk.ts`.
 *
 * The detector is libfvad (WebRTC's VAD) compiled to WASM (`@echogarden/fvad-wasm`, 20 KB, BSD):
 * a real, small, well-known detector that runs in-process with no model to download.
 */
import { FRAME_MS, packFrame } from '../../shared/talk';

/** The rate the audio is decoded at (shared with the peaks); fvad accepts 8 kHz directly. */
export const SPEECH_SAMPLE_RATE = 8000;
export const FRAME_SAMPLES = (SPEECH_SAMPLE_RATE * FRAME_MS) / 1000;
/** fvad's aggressiveness, 0 (least) to 3 (most): 2 keeps room noise out without clipping soft speech. */
export const VAD_MODE = 2;

/** A frame's level in dBFS from the sum of its samples' squares (-100: digital silence). */
export function squaresDb(sum: number): number {
  return sum === 0 ? -100 : 10 * Math.log10(sum / FRAME_SAMPLES / (32768 * 32768));
}

/** Speech frames as they are computed: here (`SpeechFrameAnalyzer`) or in a worker thread. */
export interface SpeechFrames {
  /** Feeds samples; `view` holds whole sample frames (channelCount samples each). */
  push(view: Int16Array): void;
  /** The frames, one Uint8Array per channel; a last partial frame is dropped (under 20 ms). */
  finish(): Uint8Array[] | Promise<Uint8Array[]>;
  close(): void;
}

interface FvadModule {
  _fvad_new(): number;
  _fvad_free(inst: number): void;
  _fvad_set_mode(inst: number, mode: number): number;
  _fvad_set_sample_rate(inst: number, rate: number): number;
  _fvad_process(inst: number, ptr: number, length: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAP16: Int16Array;
}

let modulePromise: Promise<FvadModule> | null = null;
/** Where the detector's compiled code lies (learned as the package loads it). */
let wasmFile: string | null = null;

/** Loads the WASM detector once per process. */
function loadFvad(): Promise<FvadModule> {
  modulePromise ??= import('@echogarden/fvad-wasm').then(
    (m) =>
      m.default({
        locateFile: (file: string, dir: string) => {
          wasmFile = dir + file;
          return wasmFile;
        },
      }) as Promise<FvadModule>,
  );
  return modulePromise;
}

/** A compiled WebAssembly module (the node tsconfig has no DOM lib to declare the type). */
export type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } })
  .WebAssembly;

let compiled: Promise<WasmModule> | null = null;

/**
 * The detector's compiled code, for worker threads: read and compiled here, once per process (a
 * worker then needs no file of its own; in the packaged app the file is inside the asar archive).
 */
export function fvadWasmModule(): Promise<WasmModule> {
  compiled ??= loadFvad().then(async () => {
    if (!wasmFile) throw new Error('The voice detector’s code was not found.');
    const fs = await import('node:fs');
    return wasm.compile(await fs.promises.readFile(wasmFile));
  });
  return compiled;
}

/** How many frames go to the detector's memory in one copy (about 5 s). */
const BLOCK_FRAMES = 256;

/** One channel's frames as they accumulate. */
class ChannelFrames {
  readonly frame = new Int16Array(FRAME_SAMPLES);
  /** This channel's own detector: its noise model adapts to this microphone alone. */
  inst = 0;
  fill = 0;
  bytes: Uint8Array;
  count = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }
  push(byte: number): void {
    if (this.count === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    this.bytes[this.count++] = byte;
  }
}

/**
 * Takes decoded 16-bit samples (interleaved when there are two channels) and produces one byte
 * per channel per 20 ms frame (`packFrame`: the detector's verdict and the level in dBFS).
 */
export class SpeechFrameAnalyzer implements SpeechFrames {
  private readonly channels: ChannelFrames[];
  /** The detector's input: room for BLOCK_FRAMES frames in its memory. */
  private readonly ptr: number;
  /** One channel's samples of a block, taken out of the interleaved input. */
  private readonly block = new Int16Array(BLOCK_FRAMES * FRAME_SAMPLES);
  private closed = false;

  private constructor(
    private readonly fvad: FvadModule,
    channelCount: number,
    expectedFrames: number,
  ) {
    this.channels = Array.from({ length: channelCount }, () => new ChannelFrames(expectedFrames + 8));
    // One detector per channel: a shared one would adapt its noise model to both microphones'
    // frames in turn, and one speaker's level would move the other's verdicts.
    for (const ch of this.channels) {
      ch.inst = fvad._fvad_new();
      if (!ch.inst) throw new Error('The voice activity detector could not start.');
      fvad._fvad_set_mode(ch.inst, VAD_MODE);
      fvad._fvad_set_sample_rate(ch.inst, SPEECH_SAMPLE_RATE);
    }
    this.ptr = fvad._malloc(BLOCK_FRAMES * FRAME_SAMPLES * 2);
  }

  static async create(channelCount: number, durationMs: number): Promise<SpeechFrameAnalyzer> {
    const fvad = await loadFvad();
    return new SpeechFrameAnalyzer(fvad, channelCount, Math.ceil(durationMs / FRAME_MS));
  }

  get channelCount(): number {
    return this.channels.length;
  }

  /**
   * Feeds samples; `view` holds whole sample frames (channelCount samples each). Whole frames go
   * to the detector a block at a time (one copy into its memory per block, not one per frame), and
   * only a frame split between two pushes is gathered sample by sample: an hour's detection cost
   * this thread about a quarter more when every sample was copied on its own.
   */
  push(view: Int16Array): void {
    const n = this.channels.length;
    const samples = view.length / n;
    for (let c = 0; c < n; c++) {
      const ch = this.channels[c]!;
      let i = 0;
      // A frame begun by the last push is finished first.
      if (ch.fill > 0) {
        while (ch.fill < FRAME_SAMPLES && i < samples) ch.frame[ch.fill++] = view[i++ * n + c]!;
        if (ch.fill < FRAME_SAMPLES) continue;
        this.detect(ch, ch.frame, 1);
        ch.fill = 0;
      }
      while (samples - i >= FRAME_SAMPLES) {
        const frames = Math.min(BLOCK_FRAMES, Math.floor((samples - i) / FRAME_SAMPLES));
        const count = frames * FRAME_SAMPLES;
        let block: Int16Array;
        if (n === 1) block = view.subarray(i, i + count);
        else {
          block = this.block;
          for (let k = 0, j = i * n + c; k < count; k++, j += n) block[k] = view[j]!;
        }
        this.detect(ch, block, frames);
        i += count;
      }
      while (i < samples) ch.frame[ch.fill++] = view[i++ * n + c]!;
    }
  }

  /** Runs the detector on `frames` whole frames at the start of `samples`, in order. */
  private detect(ch: ChannelFrames, samples: Int16Array, frames: number): void {
    const count = frames * FRAME_SAMPLES;
    this.fvad.HEAP16.set(count === samples.length ? samples : samples.subarray(0, count), this.ptr >> 1);
    for (let f = 0; f < frames; f++) {
      const at = f * FRAME_SAMPLES;
      let sum = 0;
      for (let k = at; k < at + FRAME_SAMPLES; k++) sum += samples[k]! * samples[k]!;
      const voiced = this.fvad._fvad_process(ch.inst, this.ptr + at * 2, FRAME_SAMPLES) === 1;
      ch.push(packFrame(voiced, squaresDb(sum)));
    }
  }

  /** The frames, one Uint8Array per channel; a last partial frame is dropped (under 20 ms). */
  finish(): Uint8Array[] {
    this.close();
    return this.channels.map((c) => c.bytes.slice(0, c.count));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fvad._free(this.ptr);
    for (const ch of this.channels) if (ch.inst) this.fvad._fvad_free(ch.inst);
  }
}
