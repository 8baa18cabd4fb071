import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../../tests/support/core';
import { copyMedia, mediaFile } from '../../tests/support/media';
import { tempDir } from '../../tests/support/tmp';
import { openDatabase } from '../main/db/open';
import { runCli } from './index';
import { COMMANDS } from './commands';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dirs() {
  const data = tempDir();
  const files = tempDir();
  cleanups.push(data.cleanup, files.cleanup);
  return { data: data.dir, files: files.dir };
}

async function cli(args: string[], dataDir: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    tty: false,
    env: {},
  });
  return { code, stdout, stderr };
}

function dbSnapshot(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return snapshot(db);
  } finally {
    db.close();
  }
}

describe('alliance-review --help', () => {
  it('names every command the CLI answers to, under its group, each with its own description', async () => {
    const d = dirs();
    const { code, stdout } = await cli(['--help'], d.data);
    expect(code).toBe(0);
    // The table the front runs (commands.ts); --help is generated from it.
    const dispatched = COMMANDS.map((c) => c.name);
    expect(dispatched.length).toBeGreaterThan(15);
    const lines = stdout.split('\n');
    for (const command of [...dispatched, 'library'])
      expect(
        lines.some((l) => l.startsWith(`  ${command} `) || l === `  ${command}` || l.includes(`| ${command} `)),
        command,
      ).toBe(true);
    // Each command's description stands under it (its block: the command's line and the lines
    // indented further below it).
    const blockOf = (command: string) => {
      const at = lines.findIndex((l) => l.startsWith(`  ${command} `));
      const end = lines.findIndex((l, i) => i > at && !/^ {5,}\S/.test(l));
      return lines.slice(at, end).join(' ');
    };
    expect(blockOf('backup')).toContain('rotated backups');
    expect(blockOf('library')).toContain('encryption of the library');
    expect(blockOf('audit')).toContain('hash chain');
    expect(blockOf('package open')).toContain('rating packages');
    expect(blockOf('package open')).not.toContain('hash chain');
    expect(blockOf('library')).not.toContain('backups');
    for (const group of ['Library and recordings:', 'Agreement and perspectives:', 'Supervision:', 'Safekeeping:'])
      expect(lines).toContain(group);
  });
});

describe('alliance-review CLI', () => {
  it('imports files into a new case and session, then lists and exports them', async () => {
    const d = dirs();
    const res = await cli(
      [
        'import',
        mediaFile('av.mp4'),
        mediaFile('audio-only.m4a'),
        '--case',
        'C-014',
        '--session',
        '3',
        '--date',
        '2026-09-16',
        '--therapist',
        'T. Hansen',
        '--offset-ms',
        '1500',
      ],
      d.data,
    );
    expect(res.stderr).toContain('2 files: 100 %'); // one batch: stored together or not at all
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Imported av\.mp4 into C-014 session 3 \(recording 1, 0:06\)/);

    const cases = await cli(['cases', '--json'], d.data);
    expect(JSON.parse(cases.stdout)).toEqual([
      { id: 1, code: 'C-014', therapist: 'T. Hansen', sessions: 1, lastDate: '2026-09-16' },
    ]);

    const sessions = await cli(['sessions', '--case', 'C-014', '--json'], d.data);
    const [row] = JSON.parse(sessions.stdout) as { id: number; recordings: number; state: string }[];
    expect(row).toMatchObject({ case: 'C-014', number: 3, recordings: 2, state: 'ready' });
    // The plain lists speak English: one session, two recordings.
    expect((await cli(['cases'], d.data)).stdout).toBe('C-014\tT. Hansen\t1 session\t2026-09-16\n');
    expect((await cli(['sessions'], d.data)).stdout).toMatch(/\tC-014\tsession 3\t2026-09-16\t2 recordings\t/);

    const exported = await cli(['export', String(row!.id), '--format', 'json'], d.data);
    expect(exported.code).toBe(0);
    const doc = JSON.parse(exported.stdout);
    expect(doc).toMatchObject({
      format: 'alliance-review/session',
      case: { code: 'C-014' },
      session: { number: 3, date: '2026-09-16' },
    });
    expect(doc.recordings).toHaveLength(2);
    // Pseudonymous by default: recordings by number (file names often carry a client's name), no therapist.
    expect(doc.recordings[0]).toMatchObject({ offsetMs: 1500, hasAudio: true, hasVideo: true });
    expect(doc.recordings[0].fileName).toMatch(/^recording-\d+\.mp4$/);
    expect(doc.case.therapist).toBeUndefined();
    expect(doc.privacy).toMatchObject({ names: false, notes: false });
    const named = JSON.parse((await cli(['export', String(row!.id), '--names'], d.data)).stdout);
    expect(named.recordings[0].fileName).toBe('av.mp4');
    expect(doc.recordings[0].fingerprint).toMatch(/^\d+:[0-9a-f]{32}$/);
    expect(doc.recordings[0].probe.streams.map((s: { kind: string }) => s.kind)).toEqual(['video', 'audio']);
    expect(doc.recordings[0].peaks.resolutions.map((r: { level: string }) => r.level)).toEqual([
      'detail',
      'coarse',
      'overview',
    ]);
    expect(doc.recordings[0]).not.toHaveProperty('path');
  });

  it('fails with a one-line reason and changes nothing for a bad file', async () => {
    const d = dirs();
    await cli(['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '1'], d.data);
    const before = dbSnapshot(d.data);
    const notes = path.join(d.files, 'notes.mp4');
    fs.writeFileSync(notes, 'plain text');
    for (const args of [
      ['import', notes, '--case', 'C-2', '--session', '1'],
      ['import', path.join(d.files, 'gone.mp4'), '--case', 'C-1', '--session', '2'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '1'],
      ['import', mediaFile('av.mp4'), '--case', 'Kari Nordmann', '--session', '1'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', 'first'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '3', '--date', '2026-02-30'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '3', '--date', '2026-13-45'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '3', '--offset-ms', '99999999999'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '3', '--offset-ms', '1.5'],
      ['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '3', '--therapist', 'T'.repeat(121)],
    ]) {
      const res = await cli(args, d.data);
      expect(res.code, args.join(' ')).not.toBe(0);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/^alliance-review: /);
    }
    expect(dbSnapshot(d.data)).toEqual(before);
  });

  it('handles odd file names', async () => {
    const d = dirs();
    const odd = copyMedia(mediaFile('av.mp4'), d.files, 'Økt 3 – klient.mp4');
    const res = await cli(['import', odd, '--case', 'C-9', '--session', '3', '--json'], d.data);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).recordings[0].fileName).toBe('Økt 3 – klient.mp4');
  });

  it('explains usage errors', async () => {
    const d = dirs();
    expect((await cli(['frobnicate'], d.data)).stderr).toMatch(/unknown command "frobnicate"/);
    expect((await cli(['import', '--case', 'C-1'], d.data)).stderr).toMatch(/at least one file/);
    expect((await cli(['export', '77'], d.data)).stderr).toMatch(/That session no longer exists/);
    expect((await cli(['cases', '--bogus'], d.data)).code).toBe(2);
  });
});
