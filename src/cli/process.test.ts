/**
 * The command as a process: piped into `head`, and interrupted in the middle of an import.
 * Built with esbuild from the sources, like the durability test's child.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFile } from '../../tests/support/media';
import { tempDir } from '../../tests/support/tmp';
import { createCore } from '../main/app';

let work: ReturnType<typeof tempDir>;
let cli: string;
const NODE_PATH = path.resolve(__dirname, '../../node_modules');

beforeAll(() => {
  work = tempDir();
  cli = path.join(work.dir, 'cli.cjs');
  buildSync({
    entryPoints: [path.resolve(__dirname, 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: cli,
    external: ['better-sqlite3-multiple-ciphers', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe', 'electron'],
    nodePaths: [NODE_PATH],
    logLevel: 'error',
  });
});
afterAll(() => work.cleanup());

function run(args: string[], onStdout?: (child: ReturnType<typeof spawn>, chunk: Buffer) => void) {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => onStdout?.(child, d));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

describe('the alliance-review process', () => {
  it('stops quietly when its output is piped into head', async () => {
    const data = path.join(work.dir, 'many');
    const core = createCore({ dataDir: data });
    for (let i = 0; i < 3000; i++) core.library.createCase({ code: `C-${i}`, therapist: '', notes: '' });
    core.close();
    // Like `| head -1`: the reader takes one chunk and goes away.
    const res = await run(['cases', '--json', '--data-dir', data], (child) => child.stdout!.destroy());
    expect(res.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(res.code).toBe(0);
  });

  it('an import interrupted with Ctrl+C leaves no case, session or copy behind', async () => {
    const data = path.join(work.dir, 'interrupted');
    const child = spawn(
      process.execPath,
      [cli, 'import', mediaFile('av.mp4'), '--case', 'C-INT', '--session', '1', '--copy', '--data-dir', data],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt as soon as the case exists (the import is under way).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (fs.existsSync(path.join(data, 'alliance-review.db'))) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const core = createCore({ dataDir: data });
    try {
      const cases = core.library.listCases();
      // Either the import had not started (nothing made) or it was rolled back: no empty session.
      for (const c of cases) expect(c.sessions.every((s) => s.recordings.length > 0)).toBe(true);
      if (code !== 0) expect(cases).toEqual([]);
      const copies = fs.existsSync(path.join(data, 'media'))
        ? fs.readdirSync(path.join(data, 'media'), { recursive: true }).filter((f) => String(f).includes('.mp4'))
        : [];
      expect(copies.length).toBe(cases.flatMap((c) => c.sessions).length);
    } finally {
      core.close();
    }
    expect(stderr).not.toMatch(/at .*\.js/);
  });

  it(
    'a first import killed at any moment leaves a library that opens, with no half-made session',
    { timeout: 60_000 },
    async () => {
      // SIGKILL gives the process no chance to clean up: whatever it was doing (creating the library,
      // migrating it, adding the case, copying), the next start must open the library and put it right.
      for (const delay of [0, 15, 40, 80, 150, 300]) {
        const data = path.join(work.dir, `killed-${delay}`);
        const child = spawn(
          process.execPath,
          [cli, 'import', mediaFile('av.mp4'), '--case', 'C-KILL', '--session', '1', '--copy', '--data-dir', data],
          { stdio: 'ignore', env: { ...process.env, NODE_PATH } },
        );
        const exited = new Promise((resolve) => child.on('exit', resolve));
        await new Promise((r) => setTimeout(r, delay));
        child.kill('SIGKILL');
        await exited;
        const core = createCore({ dataDir: data });
        try {
          const cases = core.library.listCases();
          for (const c of cases) expect(c.sessions.every((s) => s.recordings.length > 0)).toBe(true);
        } finally {
          core.close();
        }
        const leftovers = fs.existsSync(data) ? fs.readdirSync(data).filter((f) => f.includes('.creating-')) : [];
        expect(leftovers).toEqual([]);
      }
    },
  );

  it('a package export killed half-way (kill -9) leaves no half-written file after the next start', async () => {
    const data = path.join(work.dir, 'package-killed');
    const big = path.join(work.dir, 'long-recording.mp4');
    fs.writeFileSync(big, Buffer.alloc(48 * 1024 * 1024, 7));
    const core = createCore({ dataDir: data });
    const c = core.library.createCase({ code: 'C-PKG', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    core.repos.recordings.insert({
      sessionId: s.id,
      path: big,
      fileName: 'long-recording.mp4',
      sizeBytes: fs.statSync(big).size,
      fingerprint: 'stand-in',
      managed: false,
      offsetMs: 0,
      durationMs: 3_000_000,
      hasAudio: false,
      hasVideo: true,
      probe: { formatName: 'mp4', durationMs: 3_000_000, streams: [{ kind: 'video', codec: 'h264' }] },
      peaks: [],
    });
    core.raters.create('Observer K', 'observer');
    core.close();
    const out = path.join(work.dir, 'killed.arpkg');
    const child = spawn(
      process.execPath,
      [cli, 'package', 'export', '--sessions', String(s.id), '--rater', 'Observer K', '--out', out, '--include-media'],
      {
        stdio: 'ignore',
        env: { ...process.env, NODE_PATH, ALLIANCE_REVIEW_DATA_DIR: data, ALLIANCE_REVIEW_PACKAGE_PASSPHRASE: 'p' },
      },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !fs.existsSync(`${out}.partial`)) await new Promise((r) => setTimeout(r, 2));
    expect(fs.existsSync(`${out}.partial`)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(fs.existsSync(`${out}.partial`)).toBe(true); // no chance to clean up
    createCore({ dataDir: data }).close(); // the next start (the app's or a command's)
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
  });
});
