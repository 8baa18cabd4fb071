/**
 * Voice detection off the importing thread: each decoded range's samples go to a worker thread
 * that runs the WASM detector (`speech.ts` describes the detector and the frames), while this
 * thread only reads ffmpeg's output and builds the peaks. An hour costs the detector about 0.4 s
 * a channel; on this thread it is done one range after another, so with four ranges decoding on
 * eight cores this thread is what the import waits for. Where the cores are busy decoding (two
 * cores, two ranges, or even one) a worker only adds work (5–15 % slower on the bench's hour
 * here), so the caller decides (`analyzeAudio`: workers when two cores are to spare).
 *
 * The worker's program is passed as source text (`eval`), and the detector's compiled code as a
 * `WebAssembly.Module` read here: no host has to resolve a file from inside the worker (Electron
 * reads the app from an asar archive; the CLI, the benches and vitest each bundle differently).
 */
import { Worker } from 'node:worker_threads';
import { FRAME_MS, packFrame } from '../../shared/talk';
import {
  FRAME_SAMPLES,
  fvadWasmModule,
  SpeechFrameAnalyzer,
  SPEECH_SAMPLE_RATE,
  squaresDb,
  VAD_MODE,
  type SpeechFrames,
  type WasmModule,
} from './speech';

/**
 * The worker. Self-contained (it runs from its source text): no imports, nothing from outside
 * but its two arguments. It instantiates fvad 0.2.0 from its compiled module with the two imports
 * that build asks for (a.a: a failed assertion, a.b: growing the heap) and calls its exports by
 * the names that build gives them (c memory, d constructors, e fvad_new, f malloc, j set_mode,
 * k set_sample_rate, l process). It answers with, per channel, the verdict and the summed squares
 * of every whole 20-ms frame.
 */
function speechWorker(
  port: {
    on(e: 'message', cb: (m: Int16Array | null) => void): void;
    postMessage(m: unknown, t?: ArrayBuffer[]): void;
  },
  data: { module: WasmModule; channels: number; mode: number; rate: number; frame: number; frames: number },
) {
  type Memory = { buffer: ArrayBuffer; grow(pages: number): number };
  type Exports = Record<string, (...a: number[]) => number> & { c: Memory };
  const wasm = (
    globalThis as unknown as {
      WebAssembly: { Instance: new (m: WasmModule, imports: object) => { exports: Exports } };
    }
  ).WebAssembly;
  let memory: Memory | null = null;
  const instance = new wasm.Instance(data.module, {
    a: {
      a: () => {
        throw new Error('The voice detector failed an internal check.');
      },
      b: (size: number) => {
        try {
          memory!.grow(Math.ceil((size - memory!.buffer.byteLength) / 65536));
          return 1;
        } catch {
          return 0;
        }
      },
    },
  });
  const ex = instance.exports;
  memory = ex.c;
  ex.d!();
  const ptr = ex.f!(data.frame * 2);
  const chans = Array.from({ length: data.channels }, () => {
    const inst = ex.e!();
    if (!inst) throw new Error('The voice detector could not start.');
    ex.j!(inst, data.mode);
    ex.k!(inst, data.rate);
    const size = data.frames + 8;
    return {
      inst,
      frame: new Int16Array(data.frame),
      fill: 0,
      voiced: new Uint8Array(size),
      squares: new Float64Array(size),
      count: 0,
    };
  });
  port.on('message', (view) => {
    if (view === null) {
      const out = chans.map((c) => ({ voiced: c.voiced.slice(0, c.count), squares: c.squares.slice(0, c.count) }));
      port.postMessage(
        out,
        out.flatMap((o) => [o.voiced.buffer, o.squares.buffer]),
      );
      return;
    }
    const n = chans.length;
    for (let c = 0; c < n; c++) {
      const ch = chans[c]!;
      const frame = ch.frame;
      for (let i = c; i < view.length; i += n) {
        frame[ch.fill++] = view[i]!;
        if (ch.fill === data.frame) {
          let sum = 0;
          for (let k = 0; k < data.frame; k++) sum += frame[k]! * frame[k]!;
          new Int16Array(memory!.buffer, ptr, data.frame).set(frame);
          const voiced = ex.l!(ch.inst, ptr, data.frame) === 1;
          if (ch.count === ch.voiced.length) {
            const v = new Uint8Array(ch.count * 2);
            v.set(ch.voiced);
            ch.voiced = v;
            const s = new Float64Array(ch.count * 2);
            s.set(ch.squares);
            ch.squares = s;
          }
          ch.voiced[ch.count] = voiced ? 1 : 0;
          ch.squares[ch.count] = sum;
          ch.count++;
          ch.fill = 0;
        }
      }
    }
  });
}

const SOURCE = `const { parentPort, workerData } = require('node:worker_threads');
(${speechWorker.toString()})(parentPort, workerData);`;

/** Speech frames computed in a worker thread; the same frames `SpeechFrameAnalyzer` gives. */
export class WorkerSpeechFrames implements SpeechFrames {
  private readonly worker: Worker;
  private readonly result: Promise<Uint8Array[]>;
  private failed: Error | null = null;

  constructor(module: WasmModule, channelCount: number, expectedFrames: number) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: {
        module,
        channels: channelCount,
        mode: VAD_MODE,
        rate: SPEECH_SAMPLE_RATE,
        frame: FRAME_SAMPLES,
        frames: expectedFrames,
      },
    });
    this.result = new Promise<Uint8Array[]>((resolve, reject) => {
      this.worker.once('message', (out: { voiced: Uint8Array; squares: Float64Array }[]) => {
        resolve(
          out.map(({ voiced, squares }) => {
            const bytes = new Uint8Array(voiced.length);
            for (let i = 0; i < voiced.length; i++) bytes[i] = packFrame(voiced[i] === 1, squaresDb(squares[i]!));
            return bytes;
          }),
        );
        void this.worker.terminate();
      });
      this.worker.once('error', (e) => {
        this.failed = e;
        reject(new Error(`The voice detector stopped: ${e.message}`));
      });
      // Gone without an answer (after one, this changes nothing).
      this.worker.once('exit', () => {
        this.failed ??= new Error('The voice detector stopped.');
        reject(this.failed);
      });
    });
    // A failure is reported by finish(); until then nothing may reject unheard.
    this.result.catch(() => undefined);
  }

  push(view: Int16Array): void {
    if (this.failed) return;
    // A copy of its own (the chunk's memory is ffmpeg's pipe buffer), handed over without a copy.
    const own = view.slice();
    this.worker.postMessage(own, [own.buffer]);
  }

  finish(): Promise<Uint8Array[]> {
    if (!this.failed) this.worker.postMessage(null);
    return this.result;
  }

  close(): void {
    void this.worker.terminate();
  }
}

/**
 * Speech frames for `channelCount` channels of about `durationMs`: in a worker thread when asked
 * and workers work here, otherwise on this thread (the frames are the same either way).
 */
export async function createSpeechFrames(
  channelCount: number,
  durationMs: number,
  inWorker: boolean,
): Promise<SpeechFrames> {
  if (inWorker && (await workersWork()))
    return new WorkerSpeechFrames(await fvadWasmModule(), channelCount, Math.ceil(durationMs / FRAME_MS));
  return SpeechFrameAnalyzer.create(channelCount, durationMs);
}

let probe: Promise<boolean> | null = null;

/**
 * Whether a worker gives the frames this thread gives: tried once per process on a second of
 * sound, before any recording depends on it. Where workers cannot start or load the detector,
 * speech is worked out on this thread as before, rather than an import failing.
 */
function workersWork(): Promise<boolean> {
  probe ??= (async () => {
    const second = new Int16Array(SPEECH_SAMPLE_RATE);
    for (let i = 0; i < second.length; i++) second[i] = Math.round(8000 * Math.sin(i / 9) * Math.sin(i / 700));
    try {
      const here = await SpeechFrameAnalyzer.create(1, 1000);
      here.push(second);
      const expected = here.finish();
      const there = new WorkerSpeechFrames(await fvadWasmModule(), 1, 50);
      there.push(second);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const got = await Promise.race([
        there.finish(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), 10_000))),
      ]).finally(() => {
        clearTimeout(timer);
        there.close();
      });
      return (
        got.length === 1 && got[0]!.length === expected[0]!.length && got[0]!.every((b, i) => b === expected[0]![i])
      );
    } catch {
      return false;
    }
  })();
  return probe;
}
