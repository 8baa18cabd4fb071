import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ruptureStatuses } from '../../../shared/annotation-logic';
import type { Rater, Segment, SessionAnnotations } from '../../../shared/annotations';
import type { Code, Codebook } from '../../../shared/codebook';
import type { ChannelInput } from '../../../shared/contract';
import { api, errorMessage } from '../api';

/**
 * Whether every change has reached the store: a tiny store of its own, so that the status line
 * can follow it without re-rendering the player on every edit.
 */
export interface SaveState {
  pending: number;
  failed: boolean;
}
function createSaveState() {
  let state: SaveState = { pending: 0, failed: false };
  const listeners = new Set<() => void>();
  const set = (next: SaveState) => {
    state = next;
    listeners.forEach((cb) => cb());
  };
  return {
    get: () => state,
    subscribe: (cb: () => void) => {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    begin: () => set({ pending: state.pending + 1, failed: false }),
    end: (failed: boolean) => set({ pending: state.pending - 1, failed: state.failed || failed }),
  };
}
export type SaveTracker = ReturnType<typeof createSaveState>;

const sameSegment = (a: Segment, b: Segment) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The session's annotations in the renderer. Changes are sent to the store one after another, in
 * the order they were made. New segments, moves and resizes are shown at once and then replaced
 * by what the store answered (or taken back, with the store's message, if it refused); edits
 * through the form, deletions and undo are applied from the store's answer.
 */
export function useAnnotations(sessionId: number) {
  const [data, setData] = useState<SessionAnnotations | null>(null);
  const [codebook, setCodebook] = useState<Codebook | null>(null);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [current, setCurrent] = useState<Rater | null>(null);
  const [pauseWhileCoding, setPause] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const saving = useMemo(createSaveState, []);
  // One queue: the store sees edits in the order the user made them, whatever the transport.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const queued = useRef(0);
  const enqueue = useCallback(<T>(work: () => Promise<T>): Promise<T> => {
    // An idle queue starts the request right away, before any render this change causes.
    const next = queued.current === 0 ? work() : chain.current.then(work, work);
    queued.current++;
    chain.current = next.catch(() => undefined).finally(() => queued.current--);
    return next;
  }, []);
  // The newest move sent per segment: an older answer must not undo a newer move on screen.
  const latestMove = useRef(new Map<number, number>());
  // A segment shown before the store kept it has a temporary negative id until the answer;
  // requests queued behind its creation use the stored id.
  const stored = useRef(new Map<number, number>());
  const nextTemp = useRef(-1);
  const realId = useCallback((id: number) => stored.current.get(id) ?? id, []);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    const list = await api.call('segments:list', { sessionId });
    if (mine === seq.current) setData(list);
  }, [sessionId]);

  useEffect(() => {
    let alive = true;
    // One request: the player's waveform and media requests should not queue behind five.
    void api.call('segments:open', { sessionId }).then(
      ({ annotations: list, codebook: cb, raters: rs, current: cur, prefs }) => {
        if (!alive) return;
        setData(list);
        setCodebook(cb);
        setRaters(rs);
        setCurrent(cur);
        setPause(prefs.pauseWhileCoding);
      },
      (e: unknown) => alive && setError(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [sessionId]);

  /** Applies changed segments locally (and drops deleted ones). */
  const applyLocal = useCallback((changed: Segment[], removed: number[] = []) => {
    setData((prev) => {
      if (!prev) return prev;
      const byId = new Map(prev.segments.map((s) => [s.id, s]));
      for (const id of removed) byId.delete(id);
      if (removed.length) {
        for (const [id, s] of byId) {
          if (s.linkedRuptureIds.some((r) => removed.includes(r))) {
            byId.set(id, { ...s, linkedRuptureIds: s.linkedRuptureIds.filter((r) => !removed.includes(r)) });
          }
        }
      }
      for (const s of changed) byId.set(s.id, s);
      const segments = [...byId.values()];
      // Usually still in order (an edit rarely passes a neighbour): sort only when needed.
      const order = (a: Segment, b: Segment) => a.startMs - b.startMs || a.id - b.id;
      if (segments.some((x, i) => i > 0 && order(segments[i - 1]!, x) > 0)) segments.sort(order);
      return { ...prev, segments, ruptureStatus: ruptureStatuses(segments), canUndo: true, canRedo: false };
    });
  }, []);

  /** Refreshes the undo and redo labels once the queue has drained (one request, not one per edit). */
  const historySeq = useRef(0);
  const refreshHistory = useCallback(() => {
    const mine = ++historySeq.current;
    void enqueue(async () => {
      if (saving.get().pending > 0 || mine !== historySeq.current) return;
      const h = await api.call('segments:history', { sessionId });
      if (mine === historySeq.current) setData((prev) => (prev ? { ...prev, ...h } : prev));
    }).catch(() => undefined);
  }, [enqueue, saving, sessionId]);

  const apply = useCallback(
    (changed: Segment[], removed: number[] = []) => {
      applyLocal(changed, removed);
      refreshHistory();
    },
    [applyLocal, refreshHistory],
  );

  /** Sends one change through the queue, counted in the save state. */
  const send = useCallback(
    <T>(work: () => Promise<T>): Promise<T> => {
      saving.begin();
      return enqueue(work).then(
        (v) => {
          saving.end(false);
          return v;
        },
        (e: unknown) => {
          saving.end(true);
          throw e;
        },
      );
    },
    [enqueue, saving],
  );

  const run = useCallback(async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      const value = await work();
      setError(null);
      return value;
    } catch (e) {
      setError(errorMessage(e));
      return null;
    }
  }, []);

  const actions = useMemo(
    () => ({
      /**
       * Creates a segment from a saved form: shown at once under a temporary id, then replaced by
       * the stored one. If the store refuses, the segment goes, its message is shown, and
       * `refused` gets it (the player reopens the form with what was typed).
       */
      createShown: (
        input: Omit<ChannelInput<'segments:create'>, 'sessionId'>,
        callbacks: { stored: (s: Segment, tempId: number) => void; refused: (message: string) => void },
      ): number | null => {
        if (!current || !codebook) return null;
        const temp = nextTemp.current--;
        const shown: Segment = {
          id: temp,
          sessionId,
          raterId: current.id,
          kind: input.kind,
          startMs: input.startMs,
          endMs: input.endMs,
          codebookVersionId: codebook.versionId,
          ruptureType: input.kind === 'rupture' ? (input.ruptureType ?? null) : null,
          codes: input.codes ?? [],
          rating: input.rating ?? null,
          stage: input.stage ?? null,
          tags: input.tags ?? [],
          note: input.note ?? '',
          resolved: false,
          linkedRuptureIds: input.linkedRuptureIds ?? [],
          sources: [],
        };
        const answer = send(() =>
          api.call('segments:create', {
            ...input,
            sessionId,
            ...(input.linkedRuptureIds ? { linkedRuptureIds: input.linkedRuptureIds.map(realId) } : {}),
          }),
        );
        applyLocal([shown]);
        answer.then(
          (s) => {
            stored.current.set(temp, s.id);
            setError(null);
            apply([s], [temp]);
            callbacks.stored(s, temp);
          },
          (e: unknown) => {
            applyLocal([], [temp]);
            setError(errorMessage(e));
            callbacks.refused(errorMessage(e));
          },
        );
        return temp;
      },
      update: (input: ChannelInput<'segments:update'>) =>
        run(async () => {
          const s = await send(() => api.call('segments:update', { ...input, id: realId(input.id) }));
          apply([s]);
          return s;
        }),
      /**
       * Moves or resizes a segment: shown in the next frame, stored through the queue, then
       * replaced by the stored segment. If the store refuses, its message is shown and the
       * session is reloaded from the store, so the screen never keeps what was not stored.
       */
      move: (segment: Segment, startMs: number, endMs: number) => {
        const token = (latestMove.current.get(segment.id) ?? 0) + 1;
        latestMove.current.set(segment.id, token);
        const shown = { ...segment, startMs, endMs };
        // The request is queued before the render, so the two overlap.
        const answer = send(() => api.call('segments:update', { id: realId(segment.id), startMs, endMs }));
        applyLocal([shown]);
        void answer.then(
          (kept) => {
            if (latestMove.current.get(segment.id) !== token) return;
            latestMove.current.delete(segment.id);
            if (!sameSegment(kept, shown)) applyLocal([kept], kept.id === segment.id ? [] : [segment.id]);
            refreshHistory();
          },
          (e: unknown) => {
            latestMove.current.delete(segment.id);
            setError(errorMessage(e));
            void enqueue(refresh).catch(() => undefined);
          },
        );
      },
      remove: (id: number) =>
        run(async () => {
          await send(() => api.call('segments:delete', { id: realId(id) }));
          apply([], [id, realId(id)]);
          return true;
        }),
      undo: () => run(async () => setData(await send(() => api.call('segments:undo', { sessionId })))),
      redo: () => run(async () => setData(await send(() => api.call('segments:redo', { sessionId })))),
      // What a rater may see depends on who they are (blind rating): reload on every switch.
      chooseRater: (id: number) =>
        run(async () => {
          setCurrent(await api.call('raters:setCurrent', { id }));
          await refresh();
        }),
      createRater: (name: string, role: Rater['role']) =>
        run(async () => {
          const r = await api.call('raters:create', { name, role });
          setRaters(await api.call('raters:list', {}));
          setCurrent(await api.call('raters:setCurrent', { id: r.id }));
          await refresh();
          return r;
        }),
      setPauseWhileCoding: (v: boolean) =>
        run(async () => setPause((await api.call('prefs:set', { pauseWhileCoding: v })).pauseWhileCoding)),
      submit: () => run(async () => setData(await api.call('ratings:submit', { sessionId }))),
      revise: (reason: string) => run(async () => setData(await api.call('ratings:revise', { sessionId, reason }))),
      clearError: () => setError(null),
      refresh,
    }),
    [run, apply, applyLocal, send, enqueue, refreshHistory, realId, sessionId, refresh, current, codebook],
  );

  const codes = useMemo(() => {
    const m = new Map<string, Code>();
    for (const c of codebook?.definition.codes ?? []) m.set(c.key.toUpperCase(), c);
    return m;
  }, [codebook]);

  return { data, codebook, codes, raters, rater: current, pauseWhileCoding, error, actions, saving };
}

export type Annotations = ReturnType<typeof useAnnotations>;
