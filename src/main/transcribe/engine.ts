/**
 * The speech-recognition engine: whisper.cpp, through the prebuilt N-API modules of whisper.node
 * (`@fugood/node-whisper-<platform>-<arch>`, MIT), one per platform as an optional dependency at
 * 1.1.1 (the newest published for every platform), so an install fetches only its own — the
 * wrapper package would also fetch CUDA and Vulkan builds (~90 MB on Linux). N-API is stable
 * across Node and Electron versions: the same binary loads in both. It runs in a process of its
 * own (see `engineProcess`); the app's event loop only moves samples and hears progress.
 *
 * No model is ever downloaded: the user names a model file on their disk (`whisper.cpp`'s ggml
 * format). A missing, wrong or damaged file is refused with words before anything runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/** What the recogniser heard in a stretch of audio, on that stretch's own clock. */
export interface Heard {
  startMs: number;
  endMs: number;
  text: string;
}

/** A speech recogniser over 16-kHz mono 16-bit samples (the whisper.cpp one, or a test's). */
export interface Recognizer {
  /** The model's name for the record (its file name). */
  readonly model: string;
  recognize(
    pcm: Buffer,
    opts: { language: string | null; signal: AbortSignal; onProgress?: (fraction: number) => void },
  ): Promise<Heard[]>;
  close(): Promise<void>;
}

/** whisper.cpp's ggml model files begin with this (the bytes "lmgg"). */
const GGML_MAGIC = 0x67676d6c;
/** Model files are hundreds of kB (a test model) to gigabytes; a few bytes is not one. */
const MIN_MODEL_BYTES = 4096;

/** Checks that `file` is a whisper.cpp model before the engine sees it; returns its name and size. */
export function checkModel(file: string): { name: string; sizeBytes: number } {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'FILE_MISSING' : 'FILE_UNREADABLE',
      code === 'ENOENT'
        ? `There is no model file at ${file}. Download a whisper.cpp model (for example ggml-base.bin) and give its path; the app never downloads one.`
        : `The model file ${file} cannot be read (${code}).`,
    );
  }
  if (!st.isFile()) throw new AppError('INVALID_INPUT', `${file} is a folder, not a model file.`);
  const head = Buffer.alloc(4);
  let got = 0;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      got = fs.readSync(fd, head, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new AppError(
      'FILE_UNREADABLE',
      `The model file ${file} cannot be read (${(e as NodeJS.ErrnoException).code}).`,
    );
  }
  if (got < 4 || head.readUInt32LE(0) !== GGML_MAGIC)
    throw new AppError(
      'INVALID_INPUT',
      `${path.basename(file)} is not a whisper.cpp model (a ggml .bin file such as ggml-base.bin). ONNX, PyTorch or GGUF language models do not work here.`,
    );
  if (st.size < MIN_MODEL_BYTES)
    throw new AppError('INVALID_INPUT', `${path.basename(file)} is cut short (${st.size} bytes): download it again.`);
  return { name: path.basename(file), sizeBytes: st.size };
}

/**
 * The engine's own process: it loads the model and transcribes what it is sent. whisper.cpp
 * stops the process that loads a damaged model (an assertion, not an exception), so that process
 * is never the app's. It also refuses any network request made through Node (there is none to
 * make: the model is a file, and the engine's download helper is not used), and says so.
 */
function engineProcess(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- this function runs as a script of its own */
  // Electron's utility process talks through parentPort; a Node child through process.send.
  const port = (
    process as unknown as {
      parentPort?: { postMessage(m: unknown): void; on(e: 'message', f: (e: { data: unknown }) => void): void };
    }
  ).parentPort;
  const send = (m: unknown) => (port ? port.postMessage(m) : process.send!(m));
  const onMessage = (f: (m: never) => void) =>
    port ? port.on('message', (e) => f(e.data as never)) : process.on('message', f as (m: unknown) => void);
  let netAttempts = 0;
  const refuse = () => {
    netAttempts++;
    throw new Error('The transcription engine makes no network requests.');
  };
  const net = require('node:net') as typeof import('node:net');
  const dns = require('node:dns') as typeof import('node:dns');
  const http = require('node:http') as typeof import('node:http');
  const https = require('node:https') as typeof import('node:https');
  net.Socket.prototype.connect = refuse as never;
  dns.lookup = refuse as never;
  http.request = refuse as never;
  https.request = refuse as never;
  type Ctx = {
    transcribeData(
      a: ArrayBuffer,
      o: Record<string, unknown>,
    ): {
      stop(): Promise<void>;
      promise: Promise<{ segments: { text: string; t0: number; t1: number }[]; isAborted: boolean }>;
    };
  };
  let ctx: Ctx | null = null;
  onMessage(
    (m: {
      type: string;
      module?: string;
      model?: string;
      pcm?: Uint8Array;
      language?: string | null;
      threads?: number;
    }) => {
      try {
        if (m.type === 'open') {
          const mod = require(m.module!) as { WhisperContext: new (o: { filePath: string; useGpu: boolean }) => Ctx };
          ctx = new mod.WhisperContext({ filePath: m.model!, useGpu: false });
          send({ type: 'opened', netAttempts });
        } else if (m.type === 'recognize' && ctx) {
          const pcm = Buffer.from(m.pcm!);
          const job = ctx.transcribeData(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength), {
            language: m.language ?? 'auto',
            maxThreads: m.threads,
            temperature: 0,
            beamSize: 1,
            bestOf: 1,
            onProgress: (p: number) => send({ type: 'progress', fraction: Math.max(0, Math.min(1, p / 100)) }),
          });
          job.promise.then(
            (r) => send({ type: 'result', segments: r.segments, netAttempts }),
            (e: Error) => send({ type: 'error', message: e.message }),
          );
        }
      } catch (e) {
        send({ type: 'error', message: (e as Error).message });
      }
    },
  );
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The platform's engine module (its file), or the reason there is none. */
function engineModulePath(): string {
  const name = `@fugood/node-whisper-${process.platform}-${process.arch}`;
  try {
    return createRequire(__filename).resolve(name);
  } catch {
    throw new AppError(
      'INTERNAL',
      `The speech-recognition engine for this computer (${name}) is not installed: reinstall the app (or run npm ci).`,
    );
  }
}

/** The engine's process as the app sees it: messages both ways, its end, its last words. */
export interface EngineProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when it has ended (how, in words). */
  onExit(listener: (how: string) => void): void;
  onStderr(listener: (text: string) => void): void;
  kill(): void;
}
/** Starts a process running `source` (a script). */
export type EngineStarter = (source: string) => EngineProcess;

/**
 * Node (the command line, the browser host, an unpackaged Electron): a child process of this
 * binary as Node, with an IPC channel that carries buffers.
 */
const nodeStarter: EngineStarter = (source) => {
  const child = spawn(process.execPath, ['-e', source], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return {
    send: (m) => child.send(m as never),
    onMessage: (l) => void child.on('message', l),
    onExit: (l) =>
      void child.once('exit', (code, signal) => l(signal ? `stopped by ${signal}` : `exited with ${code}`)),
    onStderr: (l) => void child.stderr!.setEncoding('utf8').on('data', l),
    kill: () => void child.kill('SIGKILL'),
  };
};
let starter: EngineStarter = nodeStarter;
/**
 * The packaged Electron app cannot run its binary as Node (the runAsNode fuse is off): its shell
 * sets a starter on Electron's utilityProcess instead.
 */
export function setEngineStarter(s: EngineStarter): void {
  starter = s;
}
/** The engine's script: what the starter runs. */
export const ENGINE_SOURCE = `(${engineProcess.toString()})()`;

/** What the engine's process last said about network requests made through Node (for the tests). */
export let engineNetAttempts = 0;

/**
 * Opens a whisper.cpp model (checked first) in the engine's own process, on the CPU. A model the
 * engine cannot load is refused with words; the process goes with `close()`, or at once on a
 * cancel (what it was doing is dropped).
 */
export async function openWhisper(file: string): Promise<Recognizer> {
  const { name } = checkModel(file);
  const modulePath = engineModulePath();
  const threads = Math.max(1, Math.min(8, os.availableParallelism() - 1));
  const child = starter(ENGINE_SOURCE);
  let stderr = '';
  child.onStderr((d) => (stderr = (stderr + d).slice(-4000)));
  let listener: ((m: EngineMessage) => void) | null = null;
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) =>
    child.onExit((how) => {
      exited = how;
      resolve();
    }),
  );
  child.onMessage((m) => listener?.(m as EngineMessage));
  const lastWords = () => {
    const assertion = /GGML_ASSERT\(([^)]*)\) failed|error: (.*)/.exec(stderr);
    return assertion ? (assertion[1] ?? assertion[2] ?? '').trim() : (exited ?? 'no answer');
  };
  const ask = <T>(
    message: object,
    onMessage: (m: EngineMessage, resolve: (v: T) => void, reject: (e: Error) => void) => void,
  ) =>
    new Promise<T>((resolve, reject) => {
      listener = (m) => onMessage(m, resolve, reject);
      void gone.then(() => reject(new Error(lastWords())));
      child.send(message);
    }).finally(() => (listener = null));
  try {
    await ask<void>({ type: 'open', module: modulePath, model: path.resolve(file) }, (m, resolve, reject) => {
      if (m.type === 'opened') {
        engineNetAttempts = m.netAttempts;
        resolve();
      } else if (m.type === 'error') reject(new Error(m.message));
    });
  } catch (e) {
    child.kill();
    throw new AppError(
      'INVALID_INPUT',
      `${name} could not be loaded as a whisper.cpp model: it may be damaged or of another version (the engine said: ${(e as Error).message}).`,
    );
  }
  return {
    model: name,
    async recognize(pcm, opts) {
      if (opts.signal.aborted) throw new AppError('CANCELLED', 'The transcription was cancelled.');
      if (exited) throw new AppError('INTERNAL', `The transcription engine stopped (${lastWords()}).`);
      // A cancel ends the engine's process at once (its half-done window is dropped).
      const stop = () => child.kill();
      opts.signal.addEventListener('abort', stop, { once: true });
      try {
        const segments = await ask<{ text: string; t0: number; t1: number }[]>(
          { type: 'recognize', pcm, language: opts.language, threads },
          (m, resolve, reject) => {
            if (m.type === 'progress') opts.onProgress?.(m.fraction);
            else if (m.type === 'result') {
              engineNetAttempts = m.netAttempts;
              resolve(m.segments);
            } else if (m.type === 'error') reject(new Error(m.message));
          },
        );
        // t0 and t1 are in hundredths of a second.
        return segments
          .map((s) => ({ startMs: s.t0 * 10, endMs: Math.max(s.t0, s.t1) * 10, text: s.text.trim() }))
          .filter((s) => s.text !== '');
      } catch (e) {
        if (opts.signal.aborted) throw new AppError('CANCELLED', 'The transcription was cancelled.');
        throw new AppError(
          'INTERNAL',
          `The transcription engine stopped while transcribing (${(e as Error).message}).`,
        );
      } finally {
        opts.signal.removeEventListener('abort', stop);
      }
    },
    async close() {
      if (!exited) child.kill();
      await gone;
    },
  };
}

type EngineMessage =
  | { type: 'opened'; netAttempts: number }
  | { type: 'progress'; fraction: number }
  | { type: 'result'; segments: { text: string; t0: number; t1: number }[]; netAttempts: number }
  | { type: 'error'; message: string };
