import { useCallback, useMemo, useRef, useState } from 'react';
import { inferRuptureType } from '../../../shared/annotation-logic';
import type { SegmentKind } from '../../../shared/annotations';
import { closeSpan, minLengthMs } from '../../../shared/segment-rules';
import type { MediaClock } from '../player/clock';
import type { Pending } from './Lanes';
import { draftFrom, type Draft } from './draft';
import type { Annotations } from './useAnnotations';

/**
 * Coding in the player: marking with R/P/C at the playhead, the segment form (new and edit),
 * the selected segment and its edge, moves, resizes and nudges. The rules a segment obeys are
 * the shared ones (segment-rules.ts); changes go through the edit queue (useAnnotations).
 */
export function useCoding(o: {
  ann: Annotations;
  media: HTMLMediaElement | null;
  clock: MediaClock | null;
  durationMs: number;
  fps: number;
  /** Says why marking cannot start (nobody chosen as rater yet, or the rating is submitted). */
  onNoRater: (message: string) => void;
  /**
   * Where a comment goes instead of the segment form: feedback, for supervisors and trainees
   * (a comment to the trainee is not part of anyone's rating).
   */
  onComment?: (startMs: number, endMs: number | null) => void;
}) {
  const { ann, media, clock, durationMs, fps, onNoRater, onComment } = o;
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [edge, setEdge] = useState<'start' | 'end'>('end');
  const codebookDef = ann.codebook?.definition;
  const mySegments = useMemo(
    () => (ann.data?.segments ?? []).filter((x) => x.raterId === ann.rater?.id),
    [ann.data, ann.rater],
  );
  // The callbacks below read the rater's segments when they run, so they stay the same function
  // across edits (the side panel and lanes that take them do not render again for each nudge).
  const mine = useRef(mySegments);
  mine.current = mySegments;

  const submitted = ann.data?.ratings.some((r) => r.raterId === ann.rater?.id && r.status === 'submitted') ?? false;
  const openDraft = useCallback(
    (kind: SegmentKind, startMs: number, endMs: number) => {
      if (kind === 'comment' && onComment) return onComment(startMs, endMs > startMs ? endMs : null);
      // A submitted rating is locked: say so now, not after the form is filled in.
      if (submitted)
        return onNoRater(
          'Your rating of this session is submitted, so it cannot change. Choose “Revise…” (top right) to start a revision.',
        );
      // A repair addresses, by default, the closest earlier rupture of the same rater.
      const before = mine.current.filter((x) => x.kind === 'rupture' && x.startMs <= startMs);
      const nearest = before[before.length - 1];
      setDraft({
        id: null,
        kind,
        startMs,
        endMs,
        ruptureType: null,
        codes: [],
        rating: null,
        stage: null,
        tags: [],
        note: '',
        linkedRuptureIds: kind === 'repair' && nearest ? [nearest.id] : [],
        resolved: false,
      });
    },
    [onComment, submitted, onNoRater],
  );

  /** R, P, C: the first press opens a segment at the playhead, the second closes it. */
  const mark = useCallback(
    (kind: SegmentKind) => {
      if (!media) return;
      if (!ann.rater) {
        ann.actions.clearError();
        onNoRater('Choose who is rating (top right) before marking segments.');
        return;
      }
      const now = clock ? clock.nowMs() : 0;
      if (submitted && !(kind === 'comment' && onComment)) {
        setPending(null);
        openDraft(kind, now, now); // says why, and opens nothing
        return;
      }
      if (pending?.kind !== kind) {
        setPending({ kind, startMs: now });
        return;
      }
      setPending(null);
      // A comment closed within 0.3 s is a point; a rupture or repair closed almost at once gets
      // the default length (the shared rule the core checks too).
      const [a, b] =
        kind === 'comment' && Math.abs(now - pending.startMs) < 300
          ? [pending.startMs, pending.startMs]
          : closeSpan(kind, pending.startMs, now, durationMs);
      if (ann.pauseWhileCoding) media.pause();
      openDraft(kind, a, b);
    },
    [media, clock, ann, pending, durationMs, openDraft, onNoRater, submitted, onComment],
  );

  const saveDraft = useCallback(
    async (d: Draft) => {
      const fields = {
        startMs: d.startMs,
        endMs: d.endMs,
        codes: d.codes,
        rating: d.kind === 'comment' ? null : d.rating,
        stage: d.kind === 'repair' ? d.stage : null,
        tags: d.tags,
        note: d.note,
        ruptureType: d.kind === 'rupture' ? d.ruptureType : null,
        ...(d.kind === 'repair' ? { linkedRuptureIds: d.linkedRuptureIds } : {}),
      };
      if (d.id === null) {
        // A new segment shows at once; if the store refuses it, the form comes back as it was
        // typed, with the store's message above it.
        const temp = ann.actions.createShown(
          { kind: d.kind, ...fields },
          {
            stored: (kept, tempId) => setSelectedId((sel) => (sel === tempId ? kept.id : sel)),
            refused: () => {
              setSelectedId((sel) => (sel === temp ? null : sel));
              setDraft(d);
            },
          },
        );
        if (temp !== null) {
          setDraft(null);
          setSelectedId(temp);
        }
        return;
      }
      const saved = await ann.actions.update({
        id: d.id,
        ...fields,
        ...(d.kind === 'comment' ? { resolved: d.resolved } : {}),
      });
      if (saved) {
        setDraft(null);
        setSelectedId(saved.id);
      }
    },
    [ann.actions],
  );

  const editSegment = useCallback(
    (id: number) => {
      const seg = mine.current.find((x) => x.id === id);
      if (!seg || !codebookDef) return;
      const inferred = seg.kind === 'rupture' && seg.ruptureType === inferRuptureType(seg.codes, codebookDef);
      setDraft({ ...draftFrom(seg), ruptureType: inferred ? null : seg.ruptureType });
    },
    [codebookDef],
  );

  const moveSegment = useCallback(
    (id: number, startMs: number, endMs: number) => {
      const seg = mine.current.find((x) => x.id === id);
      if (seg) ann.actions.move(seg, startMs, endMs);
    },
    [ann.actions],
  );

  const nudge = useCallback(
    (dir: -1 | 1, byFrame: boolean) => {
      const seg = mine.current.find((x) => x.id === selectedId);
      if (!seg) return;
      const step = dir * (byFrame ? Math.round(1000 / fps) : 100);
      const startMs =
        edge === 'start' ? Math.max(0, Math.min(seg.endMs - minLengthMs(seg.kind), seg.startMs + step)) : seg.startMs;
      const endMs =
        edge === 'end'
          ? Math.min(durationMs, Math.max(seg.startMs + minLengthMs(seg.kind), seg.endMs + step))
          : seg.endMs;
      ann.actions.move(seg, startMs, endMs);
    },
    [selectedId, edge, fps, durationMs, ann.actions],
  );

  return {
    mySegments,
    selectedId,
    setSelectedId,
    pending,
    setPending,
    draft,
    setDraft,
    edge,
    setEdge,
    openDraft,
    mark,
    saveDraft,
    editSegment,
    moveSegment,
    nudge,
  };
}
