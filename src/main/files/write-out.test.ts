import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { writeAtomically } from './write-out';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const d = tempDir();
  cleanups.push(d.cleanup);
  return d.dir;
}

describe('writing the file named by --out', () => {
  it('replaces a regular file whole, and a failed write leaves the old one and no stray file', () => {
    const d = dir();
    const out = path.join(d, 'report.html');
    fs.writeFileSync(out, 'old');
    writeAtomically(out, (t) => fs.writeFileSync(t, 'new'));
    expect(fs.readFileSync(out, 'utf8')).toBe('new');
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    expect(() =>
      writeAtomically(out, (t) => {
        fs.writeFileSync(t, 'half');
        throw full;
      }),
    ).toThrow(`The disk is full: ${out} was not written.`);
    expect(fs.readFileSync(out, 'utf8')).toBe('new');
    expect(fs.readdirSync(d)).toEqual(['report.html']);
    expect(() => writeAtomically(path.join(d, 'no', 'such', 'x.json'), (t) => fs.writeFileSync(t, '{}'))).toThrow(
      /cannot be written \(ENOENT\)\. Check the folder exists/,
    );
  });

  it('writes straight into a pipe (or /dev/stdout) and leaves it a pipe', async () => {
    const d = dir();
    const fifo = path.join(d, 'out.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo here (Windows)
    const reader = spawn('cat', [fifo]);
    cleanups.unshift(() => reader.kill()); // a reader left waiting on a pipe that was renamed away
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (s: string) => (got += s));
    const done = new Promise((resolve) => reader.on('close', resolve));
    writeAtomically(fifo, (t) => fs.writeFileSync(t, 'the document\n'));
    await done;
    expect(got).toBe('the document\n');
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(d)).toEqual(['out.fifo']);
  });
});
