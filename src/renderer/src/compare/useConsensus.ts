import { useCallback, useState } from 'react';
import type { Rater, SessionAnnotations } from '../../../shared/annotations';
import type { ChannelInput } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { draftFrom, type Draft } from '../coding/draft';

/**
 * Building the consensus lane: the segments chosen (by click, or X at the playhead), accepting or
 * merging them (A), editing, moving and undoing consensus segments. Supervisors only; the core
 * refuses anyone else.
 */
export function useConsensus(o: {
  sessionId: number;
  data: SessionAnnotations | null;
  setData: (a: SessionAnnotations) => void;
  compared: Rater[];
  consensus: Rater | null;
  isSupervisor: boolean;
  now: () => number;
  reload: () => Promise<void>;
  setError: (message: string | null) => void;
  setStatus: (message: string) => void;
}) {
  const { sessionId, data, setData, compared, consensus, isSupervisor, now, reload, setError, setStatus } = o;
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<Draft | null>(null);
  const togglePick = useCallback((id: number) => {
    setPicked((p) => {
      const next = new Set(p);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const pickHere = () => {
    const t = now();
    const here = (data?.segments ?? []).filter(
      (s) => compared.some((r) => r.id === s.raterId) && s.startMs <= t && s.endMs >= t && s.kind !== 'comment',
    );
    if (!here.length) return setStatus('No rater’s segment at the playhead.');
    setPicked(new Set(here.map((s) => s.id)));
    setStatus(`${here.length} segment${here.length === 1 ? '' : 's'} chosen at the playhead.`);
  };
  const accept = async () => {
    if (!picked.size) return setStatus('Choose segments first (click them, or X at the playhead).');
    try {
      await api.call('consensus:accept', { segmentIds: [...picked] });
      setStatus(picked.size > 1 ? 'Merged into the consensus.' : 'Accepted into the consensus.');
      setPicked(new Set());
      await reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  /** Edits a consensus segment (moved, resized or recoded); undoable with the consensus lane's Undo. */
  const saveConsensus = async (input: ChannelInput<'segments:update'>): Promise<boolean> => {
    try {
      await api.call('segments:update', input);
      await reload();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    }
  };
  const undoConsensus = async () => {
    if (!consensus) return;
    try {
      setData(await api.call('segments:undo', { sessionId, raterId: consensus.id }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const onOpenConsensus = useCallback(
    (id: number) => {
      const seg = data?.segments.find((x) => x.id === id);
      if (seg && isSupervisor) setEditing(draftFrom(seg));
    },
    [data, isSupervisor],
  );
  const onMoveConsensus = useCallback(
    (id: number, startMs: number, endMs: number) => void saveConsensus({ id, startMs, endMs }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  return {
    picked,
    setPicked,
    editing,
    setEditing,
    togglePick,
    pickHere,
    accept,
    saveConsensus,
    undoConsensus,
    onOpenConsensus,
    onMoveConsensus,
  };
}
