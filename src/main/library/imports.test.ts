import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile, truncatedCopy } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { AppError } from '../../shared/errors';
import type { Core } from '../app';
import { DETAIL_PAIRS_PER_SECOND, OVERVIEW_PAIRS } from '../media/media';

let t: ReturnType<typeof testCore>;
let files: ReturnType<typeof tempDir>;
let sessionId: number;

beforeAll(() => {
  mediaFile('av.mp4');
  mediaFile('video-only.mp4');
  mediaFile('audio-only.m4a');
});
afterAll(() => undefined);

function setup() {
  t = testCore();
  files = tempDir('alliance-files-');
  const c = t.core.library.createCase({ code: 'C-014', therapist: 'T. Hansen', notes: '' });
  sessionId = t.core.library.createSession({ caseId: c.id, number: 1, date: '2026-09-02', modality: '', notes: '' }).id;
}
afterEach(() => {
  vi.restoreAllMocks();
  t?.cleanup();
  files?.cleanup();
});

async function expectRefused(core: Core, file: string, code: string, message: RegExp) {
  const before = snapshot(core.db);
  const res = await core.imports.start(sessionId, [file], { offsetMs: 0, copy: false });
  expect(res.started).toHaveLength(0);
  expect(res.rejected).toHaveLength(1);
  expect(res.rejected[0]!.error.code).toBe(code);
  expect(res.rejected[0]!.error.message).toMatch(message);
  await core.imports.idle();
  expect(snapshot(core.db)).toEqual(before);
}

describe('importing a recording', () => {
  it('probes, computes peaks at three resolutions and stores them with the recording', async () => {
    setup();
    const rec = await t.core.imports.importOne(sessionId, mediaFile('av.mp4'), { offsetMs: 250, copy: false });
    expect(rec.state).toBe('ready');
    expect(rec.hasAudio && rec.hasVideo).toBe(true);
    expect(rec.offsetMs).toBe(250);
    expect(rec.durationMs).toBeGreaterThan(5900);
    expect(rec.durationMs).toBeLessThan(6200);
    const video = rec.probe.streams.find((s) => s.kind === 'video')!;
    expect(video).toMatchObject({ codec: 'h264', width: 320, height: 180, fps: 25 });
    expect(rec.probe.streams.find((s) => s.kind === 'audio')).toMatchObject({
      codec: 'aac',
      sampleRate: 48000,
      channels: 1,
    });
    const levels = Object.fromEntries(rec.peaks.map((p) => [p.level, p]));
    expect(levels.detail!.pairsPerSecond).toBe(DETAIL_PAIRS_PER_SECOND);
    expect(Math.abs(levels.detail!.count - 6 * DETAIL_PAIRS_PER_SECOND)).toBeLessThanOrEqual(3);
    expect(levels.overview!.count).toBeLessThanOrEqual(OVERVIEW_PAIRS);
    const peaks = t.core.library.peaks(rec.id, 'detail');
    const data = new Int8Array(Buffer.from(peaks.data, 'base64'));
    // The synthetic voice has loud stretches and pauses: the waveform must show both.
    const maxes = Array.from({ length: peaks.count }, (_, i) => data[i * 2 + 1]!);
    expect(Math.max(...maxes)).toBeGreaterThan(40);
    expect(maxes.filter((m) => m <= 1).length).toBeGreaterThan(10);
  });

  it('reports progress and lists the job until it finishes', async () => {
    setup();
    const res = await t.core.imports.start(sessionId, [mediaFile('av.mp4')], { offsetMs: 0, copy: false });
    expect(res.started).toHaveLength(1);
    expect(t.core.imports.list().map((j) => j.id)).toEqual([res.started[0]!.id]);
    await t.core.imports.idle();
    expect(t.core.imports.list()).toEqual([]);
    const names = t.events.map((e) => e.name);
    expect(names.filter((n) => n === 'import:progress').length).toBeGreaterThan(3);
    const finished = t.events.find((e) => e.name === 'import:finished')!.payload as {
      error: unknown;
      recording: { id: number };
    };
    expect(finished.error).toBeNull();
    expect(t.core.library.sessionDetail(sessionId).recordings.map((r) => r.id)).toEqual([finished.recording.id]);
  });

  it('imports a video without audio: no peaks, and it says so', async () => {
    setup();
    const rec = await t.core.imports.importOne(sessionId, mediaFile('video-only.mp4'), { offsetMs: 0, copy: false });
    expect(rec.hasAudio).toBe(false);
    expect(rec.hasVideo).toBe(true);
    expect(rec.peaks).toEqual([]);
    expect(() => t.core.library.peaks(rec.id, 'detail')).toThrow(/no audio track/);
  });

  it('imports audio-only files', async () => {
    setup();
    const rec = await t.core.imports.importOne(sessionId, mediaFile('audio-only.m4a'), { offsetMs: 0, copy: false });
    expect(rec.hasVideo).toBe(false);
    expect(rec.peaks.length).toBe(3);
  });

  it('handles a path with spaces and non-ASCII characters', async () => {
    setup();
    const odd = copyMedia(mediaFile('av.mp4'), path.join(files.dir, 'Klient mappe'), 'Økt 3 – klient.mp4');
    const rec = await t.core.imports.importOne(sessionId, odd, { offsetMs: 0, copy: false });
    expect(rec.fileName).toBe('Økt 3 – klient.mp4');
    expect(rec.path).toBe(odd);
    expect(rec.state).toBe('ready');
  });

  it('copies into the managed library folder when asked, leaving the original', async () => {
    setup();
    const original = copyMedia(mediaFile('av.mp4'), files.dir, 'cam.mp4');
    const rec = await t.core.imports.importOne(sessionId, original, { offsetMs: 0, copy: true });
    expect(rec.managed).toBe(true);
    expect(rec.path.startsWith(path.join(t.dir, 'media'))).toBe(true);
    expect(fs.readFileSync(rec.path).equals(fs.readFileSync(original))).toBe(true);
    expect(fs.existsSync(original)).toBe(true);
    if (process.platform !== 'win32') {
      expect(fs.statSync(rec.path).mode & 0o777).toBe(0o600); // the copy is its owner's only
      expect(fs.statSync(path.dirname(rec.path)).mode & 0o777).toBe(0o700);
    }
  });
});

describe('bad input changes nothing and says why', () => {
  it('zero-byte file', async () => {
    setup();
    const f = path.join(files.dir, 'empty.mp4');
    fs.writeFileSync(f, '');
    await expectRefused(t.core, f, 'FILE_EMPTY', /empty \(0 bytes\)/);
  });

  it('a text file renamed .mp4', async () => {
    setup();
    const f = path.join(files.dir, 'notes.mp4');
    fs.writeFileSync(f, 'These are session notes, not a video.\n'.repeat(50));
    await expectRefused(t.core, f, 'NOT_MEDIA', /not a video or audio recording/);
  });

  it('a truncated video', async () => {
    setup();
    const f = truncatedCopy(mediaFile('av.mp4'), files.dir, 'cut.mp4');
    await expectRefused(t.core, f, 'MEDIA_CORRUPT', /damaged or incomplete/);
  });

  it('a file that is not there', async () => {
    setup();
    await expectRefused(t.core, path.join(files.dir, 'nowhere.mp4'), 'FILE_MISSING', /not at .* any more/);
  });

  it('an offset of more than 24 hours, for one file of several or when the offset is moved later', async () => {
    setup();
    const before = snapshot(t.core.db);
    const res = await t.core.imports.start(
      sessionId,
      [mediaFile('av.mp4')],
      { offsetMs: 0, copy: false },
      [90_000_000],
    );
    expect(res.started).toHaveLength(0);
    expect(res.rejected[0]!.error).toEqual({
      code: 'INVALID_INPUT',
      message: 'An offset is at most 24 hours either way.',
    });
    await expect(
      t.core.imports.importOne(sessionId, mediaFile('av.mp4'), { offsetMs: -99_999_999_999, copy: false }),
    ).rejects.toThrow('An offset is at most 24 hours either way.');
    expect(snapshot(t.core.db)).toEqual(before);
    const rec = await t.core.imports.importOne(sessionId, mediaFile('av.mp4'), { offsetMs: 1500, copy: false });
    expect(() => t.core.library.setOffset(rec.id, 86_400_001)).toThrow('An offset is at most 24 hours either way.');
    expect(t.core.library.getRecording(rec.id).offsetMs).toBe(1500);
  });

  it('an unreadable file', async () => {
    setup();
    const f = copyMedia(mediaFile('av.mp4'), files.dir, 'locked.mp4');
    fs.chmodSync(f, 0o000);
    // Root reads anything, so also make the open itself fail the way it does for other users.
    const realOpen = fs.promises.open;
    vi.spyOn(fs.promises, 'open').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      if (String(p) === f) return Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
      return (realOpen as (...a: unknown[]) => Promise<fs.promises.FileHandle>)(p, ...rest);
    }) as typeof fs.promises.open);
    await expectRefused(t.core, f, 'FILE_UNREADABLE', /not allowed to read locked\.mp4/);
  });

  it('the same file twice into one session', async () => {
    setup();
    const f = mediaFile('av.mp4');
    await t.core.imports.importOne(sessionId, f, { offsetMs: 0, copy: false });
    await expectRefused(t.core, f, 'DUPLICATE', /already in session 1/);
    // …also under another name (same content).
    const renamed = copyMedia(f, files.dir, 'renamed.mp4');
    await expectRefused(t.core, renamed, 'DUPLICATE', /already in session 1/);
  });

  it('a file that vanishes mid-import', async () => {
    setup();
    const f = copyMedia(mediaFile('av.mp4'), files.dir, 'vanishing.mp4');
    const before = snapshot(t.core.db);
    let removed = false;
    const done = t.core.imports.importOne(sessionId, f, { offsetMs: 0, copy: false }, undefined, () => {
      if (!removed) {
        removed = true;
        fs.rmSync(f);
      }
    });
    await expect(done).rejects.toMatchObject({
      code: 'FILE_MISSING',
      message: expect.stringMatching(/disappeared while it was being imported/),
    });
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('a cancelled import stores nothing and removes a partial copy', async () => {
    setup();
    const f = copyMedia(mediaFile('av.mp4'), files.dir, 'cancel.mp4');
    const before = snapshot(t.core.db);
    const controller = new AbortController();
    const done = t.core.imports.importOne(sessionId, f, { offsetMs: 0, copy: true }, controller.signal);
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(AppError);
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(snapshot(t.core.db)).toEqual(before);
    const mediaDir = path.join(t.dir, 'media');
    const left = fs.existsSync(mediaDir)
      ? fs.readdirSync(mediaDir, { recursive: true }).filter((n) => String(n).includes('.'))
      : [];
    expect(left).toEqual([]);
  });
});

describe('several files at once are imported together or not at all', () => {
  it('a bad file among good ones: nothing starts, and each file says why', async () => {
    setup();
    const empty = path.join(files.dir, 'leer.mp4');
    fs.writeFileSync(empty, '');
    const before = snapshot(t.core.db);
    const res = await t.core.imports.start(sessionId, [mediaFile('av.mp4'), empty], { offsetMs: 0, copy: true });
    expect(res.started).toEqual([]);
    expect(res.rejected.map((r) => path.basename(r.path))).toEqual(['leer.mp4', 'av.mp4']);
    expect(res.rejected[1]!.error.message).toBe(
      'av.mp4 was not imported either: leer.mp4 could not be, and files chosen together are imported together or not at all.',
    );
    await t.core.imports.idle();
    expect(snapshot(t.core.db)).toEqual(before);
    expect(fs.existsSync(path.join(t.dir, 'media'))).toBe(false);
  });

  it('a file that fails while indexing stops the batch: nothing is stored, copies are removed', async () => {
    setup();
    const good = copyMedia(mediaFile('av.mp4'), files.dir, 'kamera 1.mp4');
    const vanishing = copyMedia(mediaFile('audio-only.m4a'), files.dir, 'opptak.m4a');
    const before = snapshot(t.core.db);
    const finished: { file: string; error: string | null }[] = [];
    const events = t.core.imports as unknown as { events: { finished: (...a: unknown[]) => void } };
    const real = events.events.finished;
    events.events.finished = (job, rec, error) => {
      finished.push({
        file: (job as { fileName: string }).fileName,
        error: (error as { message: string } | null)?.message ?? null,
      });
      real(job, rec, error);
    };
    const res = await t.core.imports.start(sessionId, [good, vanishing], { offsetMs: 0, copy: true });
    expect(res.started).toHaveLength(2);
    // The recorder's file goes before its fingerprint is checked again at the end.
    fs.rmSync(vanishing);
    await t.core.imports.idle();
    expect(snapshot(t.core.db)).toEqual(before);
    expect(finished).toHaveLength(2);
    const own = finished.find((f) => f.file === 'opptak.m4a')!;
    const other = finished.find((f) => f.file === 'kamera 1.mp4')!;
    expect(own.error).toMatch(/opptak\.m4a (disappeared|is not at|could not be read)/);
    expect(other.error).toMatch(
      /^kamera 1\.mp4 was not imported: opptak\.m4a could not be \(.*\), and files chosen together are imported together or not at all\.$/,
    );
    const mediaDir = path.join(t.dir, 'media');
    const left = fs.existsSync(mediaDir)
      ? fs.readdirSync(mediaDir, { recursive: true }).filter((n) => String(n).includes('.'))
      : [];
    expect(left).toEqual([]);
  });

  it('good files are stored in one transaction, each with its offset', async () => {
    setup();
    const res = await t.core.imports.start(
      sessionId,
      [mediaFile('av.mp4'), mediaFile('audio-only.m4a')],
      { offsetMs: 0, copy: false },
      [0, -1200],
    );
    expect(res.rejected).toEqual([]);
    await t.core.imports.idle();
    const recs = t.core.library.sessionDetail(sessionId).recordings;
    expect(recs.map((r) => [r.fileName, r.offsetMs])).toEqual([
      ['av.mp4', 0],
      ['audio-only.m4a', -1200],
    ]);
  });
});
