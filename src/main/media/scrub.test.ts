import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { createHandlers } from '../rpc/handlers';
import { dispatch } from '../rpc/dispatch';
import { noDialogs } from '../platform/types';
import { planMedia, closePlan } from '../protocol/media';
import { keyframeInterval } from './scrub';

beforeAll(() => ['camera-gop10s.mp4', 'camera-gop2s.mp4', 'audio-only.m4a'].forEach((f) => mediaFile(f)), 120_000);

let t: ReturnType<typeof testCore>;
afterEach(() => t?.cleanup());

async function withRecording(file: string) {
  t = testCore();
  const c = t.core.library.createCase({ code: 'C-SCRUB', therapist: '', notes: '' });
  const s = t.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  const rec = await t.core.imports.importOne(s.id, mediaFile(file), { offsetMs: 0, copy: false });
  return { sessionId: s.id, rec };
}
const scrubDir = () => path.join(t.dir, 'scrub');

describe('scrub aid', () => {
  it('builds a short-GOP proxy for a camera file with 10-s keyframes, with progress, and serves it by range', async () => {
    const { rec } = await withRecording('camera-gop10s.mp4');
    expect(await keyframeInterval(rec.path)).toBeGreaterThanOrEqual(9.9);
    expect(planMedia(t.core.library, `${rec.id}/scrub`, undefined, (id) => t.core.scrub.readyFile(id)).status).toBe(
      404,
    );
    expect(t.core.scrub.ensure(rec.id).state).toBe('queued');
    await t.core.scrub.idle();
    expect(t.core.scrub.statusOf(rec.id)).toMatchObject({ state: 'ready', percent: 100 });
    const states = t.events
      .filter((e) => e.name === 'scrub:progress')
      .map((e) => (e.payload as { state: string }).state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('building');
    expect(states[states.length - 1]).toBe('ready');
    const file = t.core.scrub.readyFile(rec.id)!;
    expect(path.dirname(file)).toBe(scrubDir());
    // Every 12 frames a keyframe: a seek decodes at most half a second.
    expect(await keyframeInterval(file)).toBeLessThanOrEqual(0.5);
    expect(fs.readdirSync(scrubDir()).filter((n) => n.endsWith('.partial'))).toEqual([]);
    const plan = planMedia(t.core.library, `${rec.id}/scrub`, 'bytes=0-99', (id) => t.core.scrub.readyFile(id));
    expect(plan.status).toBe(206);
    expect(plan.headers['Content-Type']).toBe('video/mp4');
    closePlan(plan);
    // Not a way around the route's rules: only a plain id, then "/scrub".
    expect(planMedia(t.core.library, `${rec.id}/scrub/../../etc`, undefined, () => '/etc/passwd').status).toBe(404);
  });

  it('builds none where keyframes are close already, or there is no video', async () => {
    const { rec } = await withRecording('camera-gop2s.mp4');
    t.core.scrub.ensure(rec.id);
    await t.core.scrub.idle();
    expect(t.core.scrub.statusOf(rec.id).state).toBe('not-needed');
    const s2 = t.core.library.createSession({
      caseId: t.core.library.getSession(rec.sessionId).caseId,
      number: 2,
      date: null,
      modality: '',
      notes: '',
    });
    const audio = await t.core.imports.importOne(s2.id, mediaFile('audio-only.m4a'), { offsetMs: 0, copy: false });
    expect(t.core.scrub.ensure(audio.id).state).toBe('not-needed');
    // No video was written; the verdict is kept, so the next start does not probe the file again.
    expect(fs.readdirSync(scrubDir()).filter((n) => n.endsWith('.mp4'))).toEqual([]);
    const { createCore } = await import('../app');
    const again = createCore({ dataDir: t.dir, scrubAid: true });
    try {
      expect(again.scrub.statusOf(rec.id).state).toBe('not-needed');
    } finally {
      again.close();
    }
  });

  it('survives a quit half-way: the half-built file is removed on the next start and the proxy built again', async () => {
    const { rec } = await withRecording('camera-gop10s.mp4');
    t.core.scrub.ensure(rec.id);
    await expect.poll(() => t.core.scrub.statusOf(rec.id).state, { timeout: 10_000 }).toBe('building');
    t.core.scrub.stop();
    await t.core.scrub.idle();
    // What a crash leaves: a .partial, and a proxy of a recording that is gone.
    fs.writeFileSync(path.join(scrubDir(), `${path.basename(t.core.scrub.fileFor(rec))}.partial`), 'half');
    fs.writeFileSync(path.join(scrubDir(), '999-abc.mp4'), 'orphan');
    const { createCore } = await import('../app');
    const again = createCore({ dataDir: t.dir, scrubAid: true });
    try {
      expect(fs.readdirSync(scrubDir()).filter((n) => n.includes('.partial') && !n.startsWith(`${rec.id}-`))).toEqual(
        [],
      );
      expect(fs.existsSync(path.join(scrubDir(), '999-abc.mp4'))).toBe(false);
      await again.scrub.idle();
      expect(again.scrub.statusOf(rec.id).state).toBe('ready');
      expect(fs.readdirSync(scrubDir())).toEqual([path.basename(again.scrub.fileFor(rec))]);
    } finally {
      again.close();
    }
  });

  it('is deleted with its recording (and with its session)', async () => {
    const { sessionId, rec } = await withRecording('camera-gop10s.mp4');
    t.core.scrub.ensure(rec.id);
    await t.core.scrub.idle();
    expect(fs.readdirSync(scrubDir())).toHaveLength(1);
    const handlers = createHandlers(t.core, noDialogs, { host: 'browser', version: '0' });
    const res = await dispatch(handlers, 'sessions:delete', { id: sessionId });
    expect(res.ok).toBe(true);
    expect(fs.readdirSync(scrubDir())).toEqual([]);
    expect(await dispatch(handlers, 'scrub:status', { sessionId })).toMatchObject({ ok: false });
  });
});
