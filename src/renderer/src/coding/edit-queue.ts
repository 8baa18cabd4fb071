/**
 * The edit queue: how the coding view's changes reach the store. Plain TypeScript (no React), so
 * it is tested against a fake transport whose latency the test controls.
 *
 * - One queue: the store sees edits in the order the user made them, whatever the transport.
 * - Shown at once: a new segment (under a temporary negative id), a move or a resize is shown
 *   before the store answers, then replaced by what the store kept. Requests queued behind a
 *   creation use the stored id.
 * - Stale answers: an older move's answer never undoes a newer move on screen.
 * - Refusals: the store's message is shown and the session is reloaded from the store, so the
 *   screen never keeps what was not stored; a refused creation is taken away and handed back.
 * - One trip: every edit's answer carries the undo state, applied with the segment.
 */
import type { EditedSegment, History, Segment, SessionAnnotations } from '../../../shared/annotations';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/contract';
import { createValueStore } from '../ui/value-store';

/** The part of the api the queue needs (the real one, or a test's fake). */
export interface EditTransport {
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
}

/** How the queue changes what is on screen. */
export interface EditView {
  /** Shows changed segments, drops removed ones, and sets the undo state when given. */
  apply(changed: Segment[], removed: number[], history?: History): void;
  /** Replaces everything with the store's answer (undo, redo, a reload). */
  replace(all: SessionAnnotations): void;
  /** A message for the user, or null to clear it. */
  error(message: string | null): void;
}

/** Whether every change has reached the store; a tiny store of its own for the status line. */
export interface SaveState {
  pending: number;
  failed: boolean;
}

export function createSaveState() {
  const store = createValueStore<SaveState>({ pending: 0, failed: false });
  return {
    get: store.get,
    subscribe: store.subscribe,
    begin: () => store.set({ pending: store.get().pending + 1, failed: false }),
    end: (failed: boolean) => store.set({ pending: store.get().pending - 1, failed: store.get().failed || failed }),
  };
}
export type SaveTracker = ReturnType<typeof createSaveState>;

/**
 * The undo state (can undo or redo, and their labels), a tiny store of its own: each edit's answer
 * changes the label ("Undo resize of …"), and that should render the undo button, not the lanes.
 */
export function createHistoryState() {
  const store = createValueStore<History>(
    { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
    (a, b) => (Object.keys(a) as (keyof History)[]).every((k) => a[k] === b[k]),
  );
  return {
    get: store.get,
    subscribe: store.subscribe,
    /** Takes the given fields; listeners hear of it only when one of them differs. */
    set: (next: Partial<History>) => store.set({ ...store.get(), ...next }),
  };
}
export type HistoryTracker = ReturnType<typeof createHistoryState>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const historyOf = (s: EditedSegment): History => s.history;
const plain = (s: EditedSegment): Segment => {
  const segment: Partial<EditedSegment> = { ...s };
  delete segment.history;
  return segment as Segment;
};
/** Whether the store kept exactly what is shown (field by field; arrays element by element). */
const same = (a: Segment, b: Segment) => {
  const keys = Object.keys(a) as (keyof Segment)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    if (x === y) return true;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v: unknown, i) => v === y[i] || JSON.stringify(v) === JSON.stringify(y[i]));
  });
};

export class EditQueue {
  readonly saving = createSaveState();
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private readonly latestMove = new Map<number, number>();
  private readonly stored = new Map<number, number>();
  private nextTemp = -1;

  constructor(
    private readonly transport: EditTransport,
    private readonly sessionId: number,
    private readonly view: EditView,
  ) {}

  /** The stored id of a segment shown under a temporary one (or the id itself). */
  realId(id: number): number {
    return this.stored.get(id) ?? id;
  }

  /** Runs `work` after everything queued before it; an idle queue starts it at once. */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queued === 0 ? work() : this.chain.then(work, work);
    this.queued++;
    this.chain = next.catch(() => undefined).finally(() => this.queued--);
    return next;
  }

  /** A change through the queue, counted in the save state. */
  private send<T>(work: () => Promise<T>): Promise<T> {
    this.saving.begin();
    return this.enqueue(work).then(
      (v) => {
        this.saving.end(false);
        return v;
      },
      (e: unknown) => {
        this.saving.end(true);
        throw e;
      },
    );
  }

  /** Reloads the session from the store (after a refusal), in order behind queued edits. */
  reload(): Promise<void> {
    return this.enqueue(async () => {
      this.view.replace(await this.transport.call('segments:list', { sessionId: this.sessionId }));
    }).catch((e: unknown) => this.view.error(message(e)));
  }

  /**
   * A new segment: `shown` (its id is replaced by a temporary one) appears at once; resolves
   * with the stored segment, or rejects with the store's message after taking it away.
   */
  create(
    input: Omit<ChannelInput<'segments:create'>, 'sessionId'>,
    shown: Segment,
  ): { tempId: number; stored: Promise<Segment> } {
    const tempId = this.nextTemp--;
    const answer = this.send(() =>
      this.transport.call('segments:create', {
        ...input,
        sessionId: this.sessionId,
        ...(input.linkedRuptureIds ? { linkedRuptureIds: input.linkedRuptureIds.map((id) => this.realId(id)) } : {}),
      }),
    );
    this.view.apply([{ ...shown, id: tempId }], []);
    const stored = answer.then(
      (s) => {
        this.stored.set(tempId, s.id);
        this.view.error(null);
        this.view.apply([plain(s)], [tempId], historyOf(s));
        return plain(s);
      },
      (e: unknown) => {
        this.view.apply([], [tempId]);
        this.view.error(message(e));
        throw e;
      },
    );
    return { tempId, stored };
  }

  /**
   * Moves or resizes a segment: shown now, stored through the queue, then replaced by what the
   * store kept. A refusal shows the store's message and reloads.
   */
  move(segment: Segment, startMs: number, endMs: number): Promise<void> {
    const token = (this.latestMove.get(segment.id) ?? 0) + 1;
    this.latestMove.set(segment.id, token);
    const shown = { ...segment, startMs, endMs };
    // The request is queued before the screen changes, so the two overlap.
    const answer = this.send(() =>
      this.transport.call('segments:update', { id: this.realId(segment.id), startMs, endMs }),
    );
    this.view.apply([shown], []);
    return answer.then(
      (kept) => {
        if (this.latestMove.get(segment.id) !== token) return;
        this.latestMove.delete(segment.id);
        const s = plain(kept);
        if (same(s, shown)) this.view.apply([], [], historyOf(kept));
        else this.view.apply([s], s.id === segment.id ? [] : [segment.id], historyOf(kept));
      },
      (e: unknown) => {
        this.latestMove.delete(segment.id);
        this.view.error(message(e));
        void this.reload();
      },
    );
  }

  /** An edit through the form, applied from the store's answer; null when refused. */
  async update(input: ChannelInput<'segments:update'>): Promise<Segment | null> {
    try {
      const kept = await this.send(() =>
        this.transport.call('segments:update', { ...input, id: this.realId(input.id) }),
      );
      this.view.error(null);
      this.view.apply([plain(kept)], [], historyOf(kept));
      return plain(kept);
    } catch (e) {
      this.view.error(message(e));
      return null;
    }
  }

  async remove(id: number): Promise<boolean> {
    try {
      const { history } = await this.send(() => this.transport.call('segments:delete', { id: this.realId(id) }));
      this.view.error(null);
      this.view.apply([], [id, this.realId(id)], history);
      return true;
    } catch (e) {
      this.view.error(message(e));
      return false;
    }
  }

  async undo(): Promise<void> {
    await this.replay('segments:undo');
  }

  async redo(): Promise<void> {
    await this.replay('segments:redo');
  }

  private async replay(channel: 'segments:undo' | 'segments:redo'): Promise<void> {
    try {
      this.view.replace(await this.send(() => this.transport.call(channel, { sessionId: this.sessionId })));
      this.view.error(null);
    } catch (e) {
      this.view.error(message(e));
    }
  }
}
