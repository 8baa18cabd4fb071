import { useCallback, useMemo, useRef, useState } from 'react';
import { inferRuptureType } from '../../../shared/annotation-logic';
import type { SegmentKind } from '../../../shared/annotations';
import { closeSpan, minLengthMs } from '../../../shared/segment-rules';
import type { MediaClock } from '../player/clock';
import type { Pending } from './Lanes';
import { draftFrom, editFields, type Draft } from './draft';
import type { Annotations } from './useAnnotations';

/**
 * Coding in the player: marking with R/P/C and quick keys at the playhead, the segment form,
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
  // Bumped whenever the form opens on something new, so it starts from that segment's fields.
  const [formKey, setFormKey] = useState(0);
  // Whether the open form takes the focus: yes when asked for (Enter, a double-click, a comment to
  // write), never for a mark just closed (the next key is the coder's next mark, not a code).
  const [formFocus, setFormFocus] = useState(false);
  // Whether the form is of a mark just stored (closing it keeps the mark) or an edit (cancel).
  const [formFresh, setFormFresh] = useState(false);
  const showForm = useCallback((d: Draft | null, focus: boolean, fresh: boolean) => {
    setDraft(d);
    setFormFocus(focus);
    setFormFresh(fresh);
    setFormKey((k) => k + 1);
  }, []);

  /**
   * A closed mark (keys, quick keys, a drawn span) is stored at once, as everything is; its form
   * then only adds details and never takes the focus (a comment, which is words, does).
   */
  const openDraft = useCallback(
    (kind: SegmentKind, startMs: number, endMs: number, codes: string[] = []) => {
      if (kind === 'comment' && onComment) return onComment(startMs, endMs > startMs ? endMs : null);
      // A submitted rating is locked: say so now, not after the form is filled in.
      if (submitted)
        return onNoRater(
          'Your rating of this session is submitted, so it cannot change. Choose “Revise…” (top right) to start a revision.',
        );
      // A repair addresses, by default, the closest earlier rupture of the same rater.
      const before = mine.current.filter((x) => x.kind === 'rupture' && x.startMs <= startMs);
      const nearest = before[before.length - 1];
      const fields = {
        kind,
        startMs,
        endMs,
        ruptureType: null,
        codes,
        rating: null,
        stage: null,
        tags: [],
        note: '',
        linkedRuptureIds: kind === 'repair' && nearest ? [nearest.id] : [],
        resolved: false,
      };
      const temp = ann.actions.createShown(
        { kind, startMs, endMs, codes, ...(kind === 'repair' ? { linkedRuptureIds: fields.linkedRuptureIds } : {}) },
        {
          stored: (kept, tempId) => setSelectedId((sel) => (sel === tempId ? kept.id : sel)),
          // The store's message shows above the lanes; the form of a mark it did not keep closes.
          refused: () => setDraft((d) => (d?.id === temp ? null : d)),
        },
      );
      if (temp === null) return;
      setSelectedId(temp);
      showForm({ ...fields, id: temp }, kind === 'comment', true);
    },
    [onComment, submitted, onNoRater, ann.actions, showForm],
  );

  /** Closes an open mark at `now`: it is stored at once, and its form opens. */
  const closePending = useCallback(
    (open: Pending, now: number) => {
      // A comment closed within 0.3 s is a point; a rupture or repair closed almost at once gets
      // the default length (the shared rule the core checks too).
      const [a, b] =
        open.kind === 'comment' && Math.abs(now - open.startMs) < 300
          ? [open.startMs, open.startMs]
          : closeSpan(open.kind, open.startMs, now, durationMs);
      if (ann.pauseWhileCoding) media?.pause();
      openDraft(open.kind, a, b, open.code ? [open.code] : []);
    },
    [durationMs, ann.pauseWhileCoding, media, openDraft],
  );

  /**
   * R, P, C and the codebook's quick keys: the first press opens a segment at the playhead, the
   * second closes it (stored at once). Another mark's key closes the open one and opens its own
   * at the same moment, so a repair can start exactly as a rupture ends.
   */
  const mark = useCallback(
    (kind: SegmentKind, code?: string, key?: string) => {
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
      const same = pending?.kind === kind && (pending.code ?? null) === (code ?? null);
      if (pending) {
        setPending(null);
        closePending(pending, now);
      }
      if (!same) setPending({ kind, startMs: now, ...(code ? { code } : {}), ...(key ? { key } : {}) });
    },
    [media, clock, ann, pending, openDraft, closePending, onNoRater, submitted, onComment],
  );

  const saveDraft = useCallback(
    async (d: Draft & { id: number }) => {
      const fields = {
        ...editFields(d),
        ...(d.kind === 'repair' ? { linkedRuptureIds: d.linkedRuptureIds } : {}),
      };
      const saved = await ann.actions.update({
        id: d.id,
        ...fields,
        ...(d.kind === 'comment' ? { resolved: d.resolved } : {}),
      });
      if (saved) {
        setDraft(null);
        setSelectedId(saved.id);
      }
      return saved !== null;
    },
    [ann.actions],
  );

  const editSegment = useCallback(
    (id: number) => {
      const seg = mine.current.find((x) => x.id === id);
      if (!seg || !codebookDef) return;
      const inferred = seg.kind === 'rupture' && seg.ruptureType === inferRuptureType(seg.codes, codebookDef);
      showForm({ ...draftFrom(seg), ruptureType: inferred ? null : seg.ruptureType }, true, false);
    },
    [codebookDef, showForm],
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
    formKey,
    formFocus,
    formFresh,
    setFormFocus,
    openDraft,
    mark,
    saveDraft,
    editSegment,
    moveSegment,
    nudge,
  };
}
