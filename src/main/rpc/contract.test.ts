import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { CHANNEL_ALLOW_LIST, EVENT_ALLOW_LIST } from '../../shared/channel-names';
import { CHANNEL_NAMES, EVENT_NAMES, channels } from '../../shared/contract';
import { noDialogs } from '../platform/types';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { registerIpc } from './register';

let t: ReturnType<typeof testCore>;
afterEach(() => t?.cleanup());

const handlersFor = () => {
  t = testCore();
  return createHandlers(t.core, noDialogs, { host: 'browser', version: 'test' });
};

describe('the contract', () => {
  it('has a handler for every channel and registers every one on IPC', () => {
    const handlers = handlersFor();
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
    const registered: string[] = [];
    registerIpc({ handle: (c) => registered.push(c) }, handlers, ['app://renderer']);
    expect(registered.sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('keeps the preload allow-list equal to the contract', () => {
    expect([...CHANNEL_ALLOW_LIST].sort()).toEqual(Object.keys(channels).sort());
    expect([...EVENT_ALLOW_LIST].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('rejects malformed payloads with a specific message and touches nothing', async () => {
    const handlers = handlersFor();
    const before = snapshot(t.core.db);
    const cases: [string, unknown, RegExp][] = [
      ['cases:create', { code: '' }, /client code/],
      ['cases:create', { code: 'Kari Nordmann' }, /pseudonymous code/],
      ['cases:create', { code: 42 }, /code/],
      ['sessions:create', { caseId: 1, number: 0 }, /start at 1/],
      ['sessions:create', { caseId: 1, number: 2, date: '2026-13-45' }, /date/i],
      ['sessions:create', { caseId: 1, number: 2, date: '2026-02-30' }, /^That date does not exist\.$/],
      ['sessions:savePosition', { id: 1, positionMs: -5 }, /^The position must be at least 00:00:00\.000\.$/],
      // zod's own wording ("Too big: expected number to be <=86400000") never reaches a user.
      ['segments:update', { id: 1, startMs: 90_000_000 }, /^The start must be at most 24:00:00\.000\.$/],
      ['recordings:peaks', { id: 'x', level: 0 }, /^The id should be a number\.$/],
      ['feedback:add', { sessionId: 1, startMs: 0 }, /^The text is missing\.$/],
      [
        'feedback:setState',
        { threadId: 1, state: 'done' },
        /^The state must be one of: open, acknowledged, resolved\.$/,
      ],
      ['feedback:markRead', { ids: [] }, /^The list needs at least 1 entry\.$/],
      ['recordings:import', { sessionId: 1, paths: [] }, /at least one file/],
      ['recordings:update', { id: 1, offsetMs: 1.5 }, /whole milliseconds/],
      ['recordings:update', { id: 1, offsetMs: 90_000_000 }, /^An offset is at most 24 hours either way\.$/],
      ['recordings:peaks', { id: 1, level: 'everything' }, /level/],
      ['no:such', {}, /Unknown request/],
    ];
    for (const [channel, input, message] of cases) {
      const res = await dispatch(handlers, channel, input);
      expect(res.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toBe('INVALID_INPUT');
        expect(res.error.message).toMatch(message);
        expect(res.error.message).not.toMatch(/Too big|Too small|Invalid input|expected [a-z]+ to be/);
      }
    }
    expect(snapshot(t.core.db)).toEqual(before);
  });

  it('turns service errors into results, never raw exceptions', async () => {
    const handlers = handlersFor();
    const res = await dispatch(handlers, 'sessions:get', { id: 12345 });
    expect(res).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'That session no longer exists.' } });
    const created = await dispatch(handlers, 'cases:create', { code: 'C-001' });
    expect(created).toMatchObject({ ok: true, value: { code: 'C-001', therapist: '', notes: '' } });
  });

  it('applies blind rating at the boundary: lists, summaries and agreement', async () => {
    const handlers = handlersFor();
    const { mediaFile } = await import('../../../tests/support/media');
    const c = t.core.library.createCase({ code: 'C-B', therapist: '', notes: '' });
    const s = t.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    await t.core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
    const a = t.core.annotations.createRater('A', 'observer');
    const b = t.core.annotations.createRater('B', 'observer');
    t.core.annotations.create({
      sessionId: s.id,
      raterId: a.id,
      kind: 'rupture',
      startMs: 0,
      endMs: 1000,
      codes: ['W2'],
    });
    t.core.annotations.create({
      sessionId: s.id,
      raterId: b.id,
      kind: 'rupture',
      startMs: 0,
      endMs: 1000,
      codes: ['W2'],
    });
    t.core.annotations.submit(s.id, b.id);
    // Nobody chosen: nothing shown.
    expect(
      (await dispatch(handlers, 'segments:list', { sessionId: s.id })) as { value: { segments: unknown[] } },
    ).toMatchObject({ value: { segments: [] } });
    t.core.annotations.setCurrentRater(a.id);
    const list = (await dispatch(handlers, 'segments:list', { sessionId: s.id })) as {
      value: { segments: { raterId: number }[] };
    };
    expect(list.value.segments.map((x) => x.raterId)).toEqual([a.id]);
    expect(await dispatch(handlers, 'sessions:summary', { sessionId: s.id, raterId: b.id })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Blind rating/) },
    });
    expect(await dispatch(handlers, 'agreement:session', { sessionId: s.id })).toMatchObject({
      ok: true,
      value: { pairs: [] },
    });
    await dispatch(handlers, 'ratings:submit', { sessionId: s.id });
    expect(await dispatch(handlers, 'agreement:session', { sessionId: s.id })).toMatchObject({
      ok: true,
      value: { submitted_raters: ['A', 'B'] },
    });
  });
});
