/**
 * The edit queue against a fake store whose answers the test releases one by one, in any order
 * it likes: order of edits, shown-at-once changes, temporary ids, stale answers, refusals, and
 * the undo state arriving with each edit (no second request).
 */
import { describe, expect, it } from 'vitest';
import type { EditedSegment, History, Segment, SessionAnnotations } from '../../../shared/annotations';
import type { Channel } from '../../../shared/contract';
import { EditQueue, type EditTransport, type EditView } from './edit-queue';
import { seg } from '../../../shared/segment-fixture';

const HISTORY: History = { canUndo: true, canRedo: false, undoLabel: 'Undo move', redoLabel: null };

const segment = (id: number, startMs: number, endMs: number): Segment =>
  seg(id, 'rupture', startMs, endMs, { raterId: 7 });

/** A store that holds every call until the test answers it. */
function fakeStore() {
  const calls: {
    channel: Channel;
    input: Record<string, unknown>;
    answer: (v: unknown) => void;
    fail: (m: string) => void;
  }[] = [];
  const transport: EditTransport = {
    call: (channel, input) =>
      new Promise((resolve, reject) => {
        calls.push({
          channel,
          input: input as Record<string, unknown>,
          answer: resolve as (v: unknown) => void,
          fail: (m) => reject(new Error(m)),
        });
      }) as never,
  };
  return { calls, transport };
}

/** What the screen shows, kept the way the view callbacks say. */
function screen() {
  const shown = new Map<number, Segment>();
  const state = { history: null as History | null, error: null as string | null, replaced: 0 };
  const view: EditView = {
    apply: (changed, removed, history) => {
      for (const id of removed) shown.delete(id);
      for (const s of changed) shown.set(s.id, s);
      if (history) state.history = history;
    },
    replace: (all: SessionAnnotations) => {
      shown.clear();
      for (const s of all.segments) shown.set(s.id, s);
      state.replaced++;
    },
    error: (m) => (state.error = m),
  };
  return { shown, state, view };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const edited = (s: Segment, history = HISTORY): EditedSegment => ({ ...s, history });

describe('the edit queue', () => {
  it('sends edits one after another, in the order they were made, however slow the store is', async () => {
    const store = fakeStore();
    const ui = screen();
    const q = new EditQueue(store.transport, 1, ui.view);
    const a = segment(1, 0, 1000);
    void q.move(a, 100, 1100);
    void q.move(a, 200, 1200);
    void q.move(a, 300, 1300);
    await flush();
    expect(store.calls).toHaveLength(1); // the second waits for the first answer
    expect(q.saving.get().pending).toBe(3);
    store.calls[0]!.answer(edited(segment(1, 100, 1100)));
    await flush();
    expect(store.calls).toHaveLength(2);
    expect(store.calls[1]!.input).toMatchObject({ startMs: 200 });
    store.calls[1]!.answer(edited(segment(1, 200, 1200)));
    await flush();
    store.calls[2]!.answer(edited(segment(1, 300, 1300)));
    await flush();
    expect(ui.shown.get(1)).toMatchObject({ startMs: 300, endMs: 1300 });
    expect(q.saving.get()).toEqual({ pending: 0, failed: false });
  });

  it('shows a move at once, and an older answer never undoes a newer move on screen', async () => {
    const store = fakeStore();
    const ui = screen();
    const q = new EditQueue(store.transport, 1, ui.view);
    const a = segment(1, 0, 1000);
    void q.move(a, 100, 1100);
    expect(ui.shown.get(1)).toMatchObject({ startMs: 100 }); // before any answer
    void q.move(a, 500, 1500);
    expect(ui.shown.get(1)).toMatchObject({ startMs: 500 });
    store.calls[0]!.answer(edited(segment(1, 100, 1100)));
    await flush();
    expect(ui.shown.get(1)).toMatchObject({ startMs: 500 }); // the stale answer is ignored
    store.calls[1]!.answer(edited(segment(1, 500, 1500)));
    await flush();
    expect(ui.shown.get(1)).toMatchObject({ startMs: 500 });
  });

  it('shows a new segment under a temporary id; a move queued behind it is sent with the stored id', async () => {
    const store = fakeStore();
    const ui = screen();
    const q = new EditQueue(store.transport, 1, ui.view);
    const { tempId, stored } = q.create({ kind: 'rupture', startMs: 0, endMs: 1000 }, segment(0, 0, 1000));
    expect(tempId).toBeLessThan(0);
    expect(ui.shown.get(tempId)).toMatchObject({ startMs: 0, endMs: 1000 });
    void q.move({ ...segment(tempId, 0, 1000) }, 200, 1200);
    store.calls[0]!.answer(edited(segment(41, 0, 1000)));
    expect(await stored).toMatchObject({ id: 41 });
    expect(ui.shown.has(tempId)).toBe(false);
    await flush();
    expect(store.calls[1]).toMatchObject({ channel: 'segments:update', input: { id: 41, startMs: 200 } });
  });

  it('takes a refused new segment away, says why, and hands it back', async () => {
    const store = fakeStore();
    const ui = screen();
    const q = new EditQueue(store.transport, 1, ui.view);
    const { tempId, stored } = q.create({ kind: 'rupture', startMs: 0, endMs: 1000 }, segment(0, 0, 1000));
    store.calls[0]!.fail('The segment ends after the end of the session.');
    await expect(stored).rejects.toThrow(/after the end/);
    expect(ui.shown.has(tempId)).toBe(false);
    expect(ui.state.error).toMatch(/after the end/);
    expect(q.saving.get().failed).toBe(true);
  });

  it('rolls a refused move back by reloading from the store, in order behind the queue', async () => {
    const store = fakeStore();
    const ui = screen();
    const q = new EditQueue(store.transport, 1, ui.view);
    void q.move(segment(1, 0, 1000), 100, 1100);
    store.calls[0]!.fail("Observer A's rating of the session is submitted.");
    await flush();
    expect(ui.state.error).toMatch(/submitted/);
    expect(store.calls[1]!.channel).toBe('segments:list');
    store.calls[1]!.answer({ segments: [segment(1, 0, 1000)] });
    await flush();
    expect(ui.state.replaced).toBe(1);
    expect(ui.shown.get(1)).toMatchObject({ startMs: 0 });
  });

  it('takes the undo state from each edit’s answer: no second request for the Undo button', async () => {
    const store = fakeStore();
    const ui = screen();
    const q = new EditQueue(store.transport, 1, ui.view);
    void q.move(segment(1, 0, 1000), 100, 1100);
    store.calls[0]!.answer(
      edited(segment(1, 100, 1100), { ...HISTORY, undoLabel: 'Undo move of rupture at 00:00:00' }),
    );
    await flush();
    expect(ui.state.history?.undoLabel).toBe('Undo move of rupture at 00:00:00');
    const removed = q.remove(1);
    store.calls[1]!.answer({ deleted: true, history: { ...HISTORY, undoLabel: 'Undo deletion' } });
    expect(await removed).toBe(true);
    expect(ui.shown.has(1)).toBe(false);
    expect(ui.state.history?.undoLabel).toBe('Undo deletion');
    expect(store.calls.map((c) => c.channel)).toEqual(['segments:update', 'segments:delete']);
  });
});
