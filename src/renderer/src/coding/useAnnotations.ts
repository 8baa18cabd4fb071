import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { History, Rater, Segment, SessionAnnotations } from '../../../shared/annotations';
import type { Code, Codebook } from '../../../shared/codebook';
import type { ChannelInput } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { createHistoryState, EditQueue } from './edit-queue';
import { withChanged } from './segment-index';

export type { HistoryTracker, SaveState, SaveTracker } from './edit-queue';

/**
 * The session's annotations in the renderer. Changes are sent to the store one after another, in
 * the order they were made. New segments, moves and resizes are shown at once and then replaced
 * by what the store answered (or taken back, with the store's message, if it refused); edits
 * through the form, deletions and undo are applied from the store's answer.
 */
export function useAnnotations(
  sessionId: number,
  /**
   * Whether to ask for the segments yet: the player asks once the session's recordings are known
   * and their waveform is on its way, so a session of thousands of segments (megabytes to read
   * and send) never queues the waveform behind it on the one ordered channel.
   */
  ready = true,
) {
  const [data, setShown] = useState<SessionAnnotations | null>(null);
  // The undo state lives apart from the segments (see createHistoryState); whatever the store
  // answers as a whole session brings its own.
  const history = useMemo(() => createHistoryState(), []);
  const setData = useCallback(
    (next: SessionAnnotations | null) => {
      if (next)
        history.set({
          canUndo: next.canUndo,
          canRedo: next.canRedo,
          undoLabel: next.undoLabel,
          redoLabel: next.redoLabel,
        });
      setShown(next);
    },
    [history],
  );
  const [codebook, setCodebook] = useState<Codebook | null>(null);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [current, setCurrent] = useState<Rater | null>(null);
  const [pauseWhileCoding, setPause] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  // Bumped after an import, which may bring new raters and codes as well as segments.
  const [openKey, setOpenKey] = useState(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    const list = await api.call('segments:list', { sessionId });
    if (mine === seq.current) setData(list);
  }, [sessionId, setData]);

  useEffect(() => {
    if (!ready) return;
    let alive = true;
    // One request: the player's waveform and media requests should not queue behind five.
    void api.call('segments:open', { sessionId }).then(
      ({ annotations: list, codebook: cb, raters: rs, current: cur, prefs }) => {
        if (!alive) return;
        performance.mark('segments-arrived'); // for the benches (bench/scale.ts)
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
  }, [sessionId, openKey, setData, ready]);

  /** Applies changed segments locally (drops deleted ones) and the undo state when the store gave it. */
  const applyLocal = useCallback(
    (changed: Segment[], removed: number[] = [], next?: History) => {
      history.set(next ?? { canUndo: true, canRedo: false });
      // The store kept exactly what is shown: no update, so nothing renders again.
      if (!changed.length && !removed.length) return;
      setShown((prev) => prev && { ...prev, ...withChanged(prev.segments, prev.ruptureStatus, changed, removed) });
    },
    [history],
  );

  // The queue lives as long as the session is open.
  const queue = useMemo(
    () =>
      new EditQueue(api, sessionId, {
        apply: applyLocal,
        replace: (all) => {
          seq.current++;
          setData(all);
        },
        error: setError,
      }),
    [sessionId, applyLocal, setData],
  );
  const saving = queue.saving;

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
        const shown: Segment = {
          id: 0,
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
        const { tempId, stored } = queue.create(input, shown);
        stored.then(
          (s) => callbacks.stored(s, tempId),
          (e: unknown) => callbacks.refused(errorMessage(e)),
        );
        return tempId;
      },
      update: (input: ChannelInput<'segments:update'>) => queue.update(input),
      /** Moves or resizes a segment: shown in the next frame, stored through the queue (see edit-queue.ts). */
      move: (segment: Segment, startMs: number, endMs: number) => void queue.move(segment, startMs, endMs),
      remove: async (id: number) => ((await queue.remove(id)) ? true : null),
      undo: () => queue.undo(),
      redo: () => queue.redo(),
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
      reopen: () => setOpenKey((k) => k + 1),
    }),
    [run, queue, sessionId, refresh, current, codebook, setData],
  );

  const codes = useMemo(() => {
    const m = new Map<string, Code>();
    for (const c of codebook?.definition.codes ?? []) m.set(c.key.toUpperCase(), c);
    return m;
  }, [codebook]);

  return { data, codebook, codes, raters, rater: current, pauseWhileCoding, error, actions, saving, history };
}

export type Annotations = ReturnType<typeof useAnnotations>;
