import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/db/open';
import { tempDir } from '../support/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('durability', () => {
  it('keeps every acknowledged write after kill -9', async () => {
    const work = tempDir();
    cleanups.push(work.cleanup);
    const script = path.join(work.dir, 'writer.cjs');
    buildSync({
      entryPoints: [path.resolve(__dirname, '../support/writer-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      external: ['better-sqlite3-multiple-ciphers', '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'],
      nodePaths: [path.resolve(__dirname, '../../node_modules')],
      logLevel: 'error',
    });
    const dataDir = path.join(work.dir, 'data');
    const child = spawn(process.execPath, [script, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules') },
    });
    let acked = 0;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const m = /^ack (\d+)$/.exec(line);
          if (m) acked = Number(m[1]);
        }
        if (acked >= 150 && child.exitCode === null) child.kill('SIGKILL');
      });
    });
    expect(child.signalCode).toBe('SIGKILL');
    expect(acked).toBeGreaterThanOrEqual(150);

    const db = openDatabase(dataDir);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const numbers = (db.prepare('SELECT number FROM sessions ORDER BY number').all() as { number: number }[]).map(
      (r) => r.number,
    );
    for (let n = 1; n <= acked; n++) expect(numbers[n - 1]).toBe(n);
    expect(numbers.length).toBeGreaterThanOrEqual(acked);
    db.close();
  });
});
