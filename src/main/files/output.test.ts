import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { checkOutput, insideLibrary, writeOutput } from './output';

const TEXT = { what: 'the report', dataDir: null, special: 'write-into' as const };
const writeAtomically = (out: string, write: (t: string) => void) => writeOutput(out, TEXT, write);

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
      /The folder .*no[/\\]such does not exist\./,
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

  it('refuses a pipe or device where a video or package goes: it stays a pipe', () => {
    const d = dir();
    const fifo = path.join(d, 'clip.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    expect(() => checkOutput(fifo, { what: 'the clip', dataDir: null })).toThrow(`${fifo} is not a plain file`);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });
});

describe("never over the library's own files", () => {
  it("refuses the database, its log, the key file and every folder of the library; a file beside them is the user's", () => {
    const lib = dir();
    for (const f of ['alliance-review.db', 'alliance-review.db-wal', 'library-key.json'])
      fs.writeFileSync(path.join(lib, f), 'x');
    for (const f of ['backups', 'media', 'scrub', 'packages', 'exports']) fs.mkdirSync(path.join(lib, f));
    const rule = { what: 'the export', dataDir: lib };
    for (const target of [
      'alliance-review.db',
      'alliance-review.db-wal',
      'alliance-review.db-shm',
      'library-key.json',
      'backups/new.db',
      'media/clip.mp4',
      'scrub/1.mp4',
      'packages/p.arpkg',
    ]) {
      const out = path.join(lib, target);
      expect(() => writeOutput(out, rule, (t) => fs.writeFileSync(t, 'over'))).toThrow(
        `is inside the library's own folder (${lib})`,
      );
    }
    expect(fs.readFileSync(path.join(lib, 'alliance-review.db'), 'utf8')).toBe('x');
    expect(fs.readFileSync(path.join(lib, 'library-key.json'), 'utf8')).toBe('x');
    writeOutput(path.join(lib, 'exports', 'clip.json'), rule, (t) => fs.writeFileSync(t, '{}'));
    expect(fs.readFileSync(path.join(lib, 'exports', 'clip.json'), 'utf8')).toBe('{}');
    writeOutput(path.join(lib, 'report.html'), rule, (t) => fs.writeFileSync(t, '<p>'));
    expect(fs.readFileSync(path.join(lib, 'report.html'), 'utf8')).toBe('<p>');
    expect(() => writeOutput(lib, rule, () => undefined)).toThrow("inside the library's own folder");
  });

  it('follows links: a link to the database, or a folder linked into the library, is the library', () => {
    const lib = dir();
    const elsewhere = dir();
    fs.writeFileSync(path.join(lib, 'alliance-review.db'), 'x');
    fs.symlinkSync(path.join(lib, 'alliance-review.db'), path.join(elsewhere, 'report.html'));
    fs.symlinkSync(lib, path.join(elsewhere, 'lib'));
    expect(insideLibrary(lib, path.join(elsewhere, 'report.html'))).toBe(true);
    expect(insideLibrary(lib, path.join(elsewhere, 'lib', 'media', 'new.mp4'))).toBe(true);
    expect(insideLibrary(lib, path.join(elsewhere, 'lib', 'new.csv'))).toBe(false);
    expect(insideLibrary(lib, path.join(elsewhere, 'plain.csv'))).toBe(false);
    expect(insideLibrary(path.join(lib, '.', ''), path.join(lib, '..', path.basename(lib), 'alliance-review.db'))).toBe(
      true,
    );
  });
});
