/**
 * Every way in that writes a file (the CLI's export, report, clip, playlist and package commands,
 * and the contract's packages:export) refuses the library's own database as its output: the
 * library still opens afterwards with everything in it. Before the one output writer, each of
 * these replaced the database and the library would not open again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliIn } from '../../../tests/support/cli';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { createCore } from '../app';
import { DB_FILE } from '../db/open';
import { noDialogs } from '../platform/types';
import { dispatch } from '../rpc/dispatch';
import { createHandlers } from '../rpc/handlers';

let lib: ReturnType<typeof tempDir>;
let files: ReturnType<typeof tempDir>;
let sessionId: number;
let raterId: number;
let segmentId: number;

beforeEach(async () => {
  lib = tempDir();
  files = tempDir('alliance-out-');
  const core = createCore({ dataDir: lib.dir });
  try {
    const c = core.library.createCase({ code: 'C-OUT', therapist: '', notes: '' });
    sessionId = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' }).id;
    await core.imports.importOne(sessionId, copyMedia(mediaFile('av.mp4'), files.dir, 'a.mp4'), {
      offsetMs: 0,
      copy: false,
    });
    raterId = core.raters.create('Obs', 'observer').id;
    segmentId = core.annotations.create({
      sessionId,
      raterId,
      kind: 'rupture',
      startMs: 1000,
      endMs: 2000,
      codes: ['W2'],
    }).id;
    core.raters.setCurrent(core.raters.create('Sup', 'supervisor').id);
  } finally {
    core.close();
  }
});
afterEach(() => {
  lib.cleanup();
  files.cleanup();
});

/** The library opens, and still holds its case and session. */
function libraryIntact() {
  const core = createCore({ dataDir: lib.dir });
  try {
    expect(core.library.listCases().map((c) => c.code)).toEqual(['C-OUT']);
    expect(core.library.getSession(sessionId).number).toBe(1);
  } finally {
    core.close();
  }
}

describe("the library's own files are never an output", () => {
  it.each([
    ['export', ['export', '1', '--format', 'json']],
    ['report', ['report', '1', '--format', 'html']],
    ['clip', ['clip', '1', '--from', '0:01', '--to', '0:02']],
    ['playlist', ['playlist', '1', '--items', 'seg:SEGMENT']],
    ['package export', ['package', 'export', '--sessions', '1', '--rater', 'Obs']],
  ])('%s --out the database is refused, and the library opens with everything in it', async (_, args) => {
    const db = path.join(lib.dir, DB_FILE);
    const before = fs.readFileSync(db);
    const argv = args.map((a) => a.replace('SEGMENT', String(segmentId)));
    const r = await cliIn(lib.dir, [...argv, '--out', db], { ALLIANCE_REVIEW_PACKAGE_PASSPHRASE: 'a long passphrase' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/inside the library's own folder/);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    libraryIntact();
  });

  it('packages:export through the contract refuses the database too', async () => {
    const core = createCore({ dataDir: lib.dir });
    try {
      const handlers = createHandlers(core, noDialogs, { host: 'browser', version: 'test' });
      const r = await dispatch(handlers, 'packages:export', {
        sessionIds: [sessionId],
        raterId,
        out: path.join(lib.dir, DB_FILE),
        passphrase: 'a long passphrase',
      });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/inside the library's own folder/);
    } finally {
      core.close();
    }
    libraryIntact();
  });

  it('clip --out a named pipe is refused and the pipe stays a pipe', async () => {
    const fifo = path.join(files.dir, 'clip.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return; // no mkfifo (Windows)
    const r = await cliIn(lib.dir, ['clip', '1', '--from', '0:01', '--to', '0:02', '--out', fifo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a plain file');
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });
});
