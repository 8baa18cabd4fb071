import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ruptureStatuses } from '../../../shared/annotation-logic';
import type { Rater, Segment, SessionAnnotations } from '../../../shared/annotations';
import type { Code, Codebook } from '../../../shared/codebook';
import type { ChannelInput } from '../../../shared/contract';
import { api, errorMessage } from '../api';

/**
 * The session's annotations in the renderer: every change goes to the store first and is
 * applied from its answer, so what is shown is what is stored. Undo state is refreshed after.
 */
export function useAnnotations(sessionId: number) {
  const [data, setData] = useState<SessionAnnotations | null>(null);
  const [codebook, setCodebook] = useState<Codebook | null>(null);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [current, setCurrent] = useState<Rater | null>(null);
  const [pauseWhileCoding, setPause] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

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

  /** Applies changed segments locally (and drops deleted ones), then refreshes undo state. */
  const apply = useCallback(
    (changed: Segment[], removed: number[] = []) => {
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
      // Only the undo labels come back; the segments are already what the store answered.
      const mine = ++seq.current;
      void api.call('segments:history', { sessionId }).then(
        (h) => mine === seq.current && setData((prev) => (prev ? { ...prev, ...h } : prev)),
        () => undefined,
      );
    },
    [sessionId],
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
      create: (input: Omit<ChannelInput<'segments:create'>, 'sessionId'>) =>
        run(async () => {
          const s = await api.call('segments:create', { ...input, sessionId });
          apply([s]);
          return s;
        }),
      update: (input: ChannelInput<'segments:update'>) =>
        run(async () => {
          const s = await api.call('segments:update', input);
          apply([s]);
          return s;
        }),
      remove: (id: number) =>
        run(async () => {
          await api.call('segments:delete', { id });
          apply([], [id]);
          return true;
        }),
      undo: () => run(async () => setData(await api.call('segments:undo', { sessionId }))),
      redo: () => run(async () => setData(await api.call('segments:redo', { sessionId }))),
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
    [run, apply, sessionId, refresh],
  );

  const codes = useMemo(() => {
    const m = new Map<string, Code>();
    for (const c of codebook?.definition.codes ?? []) m.set(c.key.toUpperCase(), c);
    return m;
  }, [codebook]);

  return { data, codebook, codes, raters, rater: current, pauseWhileCoding, error, actions };
}

export type Annotations = ReturnType<typeof useAnnotations>;
