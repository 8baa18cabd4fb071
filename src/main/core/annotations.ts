/**
 * Marking ruptures, repairs and comments: validation, linking, undo/redo through an edit log,
 * the rupture repair status, the session summary and the 3RS grid. Plain Node.
 *
 * Every change is one transaction that also records the state before and after, so undo and
 * redo survive a reload and a crash, and a failed change leaves nothing behind.
 */
import type {
  Grid,
  GridCell,
  Rater,
  Role,
  RuptureType,
  Segment,
  SegmentKind,
  SessionAnnotations,
  SessionSummary,
} from '../../shared/annotations';
import { DEFAULT_CODEBOOK, type Code, type Codebook, type CodebookDefinition } from '../../shared/codebook';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import { inferRuptureType, median, ruptureStatuses, unionLength } from '../../shared/annotation-logic';
import type { AnnotationRepos, SegmentFields } from '../db/annotation-repos';
import type { Db } from '../db/open';
import type { LibraryService } from './library';

export interface SegmentInput {
  sessionId: number;
  raterId?: number;
  kind: SegmentKind;
  startMs: number;
  endMs: number;
  ruptureType?: RuptureType | null;
  codes?: string[];
  rating?: number | null;
  stage?: string | null;
  tags?: string[];
  note?: string;
  linkedRuptureIds?: number[];
}

export type SegmentPatch = Partial<Omit<SegmentInput, 'sessionId' | 'raterId' | 'kind'>> & {
  id: number;
  resolved?: boolean;
};

/** The rater that owns consensus segments (built by a supervisor from submitted ratings). */
export const CONSENSUS_RATER = 'Consensus';

const KIND_WORD: Record<SegmentKind, string> = { rupture: 'rupture', repair: 'repair', comment: 'comment' };

export class AnnotationService {
  constructor(
    private readonly db: Db,
    private readonly repos: AnnotationRepos,
    private readonly library: LibraryService,
  ) {}

  /** Installs the default codebook on a new library. */
  ensureCodebook(): Codebook {
    return this.repos.codebooks.current() ?? this.repos.codebooks.create(DEFAULT_CODEBOOK);
  }

  codebook(): Codebook {
    return this.ensureCodebook();
  }

  /** Saves an edited codebook as a new version; annotations keep the version they were made with. */
  saveCodebook(definition: CodebookDefinition): Codebook {
    const current = this.ensureCodebook();
    const removed = current.definition.codes.filter(
      (c) => !definition.codes.some((n) => n.key.toUpperCase() === c.key.toUpperCase()),
    );
    if (removed.length) {
      throw new AppError(
        'INVALID_INPUT',
        `Codes are retired, not removed: ${removed.map((c) => c.key).join(', ')} ${removed.length === 1 ? 'is' : 'are'} missing. Mark ${removed.length === 1 ? 'it' : 'them'} retired instead.`,
      );
    }
    return this.repos.codebooks.addVersion(current.id, definition);
  }

  // Raters ------------------------------------------------------------------------------------

  raters(): Rater[] {
    return this.repos.raters.list();
  }

  createRater(name: string, role: Role): Rater {
    if (this.repos.raters.byName(name)) throw new AppError('DUPLICATE', `There is already a rater called ${name}.`);
    return this.repos.raters.insert(name, role);
  }

  /** Finds a rater by name, creating them with `role` when new (CSV import). */
  ensureRater(name: string, role: Role): Rater {
    return this.repos.raters.byName(name) ?? this.repos.raters.insert(name, role);
  }

  currentRater(): Rater | null {
    const id = Number(this.repos.settings.get('currentRaterId'));
    return (id && this.repos.raters.get(id)) || null;
  }

  setCurrentRater(id: number): Rater {
    const rater = this.rater(id);
    this.repos.settings.set('currentRaterId', String(id));
    return rater;
  }

  preferences(): { pauseWhileCoding: boolean } {
    return { pauseWhileCoding: this.repos.settings.get('pauseWhileCoding') === '1' };
  }

  setPreferences(p: { pauseWhileCoding: boolean }): { pauseWhileCoding: boolean } {
    this.repos.settings.set('pauseWhileCoding', p.pauseWhileCoding ? '1' : '0');
    return this.preferences();
  }

  private rater(id: number): Rater {
    const r = this.repos.raters.get(id);
    if (!r) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
    return r;
  }

  // Segments ----------------------------------------------------------------------------------

  /**
   * The session's segments as `viewer` may see them. Blind rating: a rater sees other raters'
   * segments only once those are submitted and either the viewer's own rating of the session is
   * submitted too or the viewer is a supervisor. Without a viewer (CLI, export) everything is
   * shown. A workflow guard on a shared machine, not a security boundary.
   */
  list(sessionId: number, viewerId: number | null = null): SessionAnnotations {
    this.library.getSession(sessionId);
    const all = this.repos.segments.listBySession(sessionId);
    const ratings = this.repos.ratings.forSession(sessionId);
    const visible = this.visibleRaters(sessionId, viewerId, ratings);
    const segments = visible === null ? all : all.filter((s) => visible.has(s.raterId));
    const hiddenCounts = new Map<number, number>();
    for (const s of all)
      if (visible !== null && !visible.has(s.raterId))
        hiddenCounts.set(s.raterId, (hiddenCounts.get(s.raterId) ?? 0) + 1);
    const raterIds = new Set(segments.map((s) => s.raterId));
    return {
      sessionId,
      raters: this.repos.raters.list().filter((r) => raterIds.has(r.id)),
      ratings,
      hidden: [...hiddenCounts].map(([raterId, n]) => ({ raterId, segments: n })),
      segments,
      ruptureStatus: ruptureStatuses(segments),
      ...this.history(sessionId, viewerId),
    };
  }

  /** Rater ids whose segments `viewer` may see, or null for "all" (no viewer). */
  visibleRaters(
    sessionId: number,
    viewerId: number | null,
    ratings = this.repos.ratings.forSession(sessionId),
  ): Set<number> | null {
    if (viewerId === null) return null;
    const viewer = this.repos.raters.get(viewerId);
    const own = ratings.find((r) => r.raterId === viewerId);
    const seesOthers = viewer?.role === 'supervisor' || own?.status === 'submitted';
    const out = new Set<number>([viewerId]);
    if (seesOthers) for (const r of ratings) if (r.status === 'submitted') out.add(r.raterId);
    const consensus = this.repos.raters.byName(CONSENSUS_RATER);
    if (consensus && (seesOthers || viewerId === consensus.id)) out.add(consensus.id);
    return out;
  }

  /** Rupture spans and rating states of every session at once (agreement over a study). */
  allRuptureSpans() {
    return { ruptures: this.repos.segments.rupturesByAllSessions(), ratings: this.repos.ratings.bySession() };
  }

  /** Rupture spans and rating states of a session, lean (for agreement over many sessions). */
  ruptureSpans(sessionId: number) {
    return {
      ruptures: this.repos.segments.rupturesBySession(sessionId),
      ratings: this.repos.ratings.forSession(sessionId),
    };
  }

  /** What undo and redo would do now for this rater (labels only; cheap). */
  history(
    sessionId: number,
    raterId: number | null,
  ): Pick<SessionAnnotations, 'canUndo' | 'canRedo' | 'undoLabel' | 'redoLabel'> {
    if (raterId === null) return { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null };
    const undo = this.repos.edits.lastDoneLabel(sessionId, raterId);
    const redo = this.repos.edits.firstUndoneLabel(sessionId, raterId);
    return {
      canUndo: undo !== null,
      canRedo: redo !== null,
      undoLabel: undo === null ? null : `Undo ${undo}`,
      redoLabel: redo === null ? null : `Redo ${redo}`,
    };
  }

  create(input: SegmentInput): Segment {
    const { fields, links } = this.prepare(input);
    const run = this.db.transaction(() => {
      const id = this.repos.segments.insert(fields);
      if (links.length) this.repos.segments.setLinks(id, links);
      this.repos.edits.push(
        fields.sessionId,
        fields.raterId,
        `new ${describe(fields)}`,
        [id],
        { segments: [], links: [] },
        this.repos.segments.snapshot([id]),
      );
      return id;
    });
    return this.repos.segments.get(run())!;
  }

  /**
   * Imports many segments as one undoable change. All or nothing unless `skipInvalid`: every
   * row is checked first, and rejected rows are reported with their line number and reason.
   */
  importSegments(
    rows: { line: number; input: SegmentInput }[],
    skipInvalid: boolean,
  ): { imported: number; rejected: { line: number; reason: string }[] } {
    const good: ReturnType<AnnotationService['prepare']>[] = [];
    const rejected: { line: number; reason: string }[] = [];
    for (const row of rows) {
      try {
        good.push(this.prepare(row.input));
      } catch (error) {
        rejected.push({ line: row.line, reason: error instanceof AppError ? error.message : String(error) });
      }
    }
    if ((rejected.length && !skipInvalid) || good.length === 0) return { imported: 0, rejected };
    const sessionId = good[0]!.fields.sessionId;
    this.db.transaction(() => {
      const ids = good.map(({ fields }) => this.repos.segments.insert(fields));
      this.repos.edits.push(
        sessionId,
        good[0]!.fields.raterId,
        `import of ${ids.length} segments`,
        ids,
        { segments: [], links: [] },
        this.repos.segments.snapshot(ids),
      );
    })();
    return { imported: good.length, rejected };
  }

  private prepare(input: SegmentInput): { fields: SegmentFields; links: number[] } {
    const raterId = input.raterId ?? this.requireCurrentRater().id;
    this.rater(raterId);
    this.assertEditable(input.sessionId, raterId);
    const codebook = this.ensureCodebook();
    const fields: SegmentFields = {
      sessionId: input.sessionId,
      raterId,
      kind: input.kind,
      startMs: input.startMs,
      endMs: input.endMs,
      codebookVersionId: codebook.versionId,
      ruptureType:
        input.kind === 'rupture'
          ? (input.ruptureType ?? inferRuptureType(input.codes ?? [], codebook.definition))
          : null,
      codes: normalizeCodes(input.codes ?? []),
      rating: input.rating ?? null,
      stage: input.stage ?? null,
      tags: normalizeCodes(input.tags ?? []),
      note: input.note ?? '',
      resolved: false,
    };
    const links = input.kind === 'repair' ? [...new Set(input.linkedRuptureIds ?? [])] : [];
    this.validate(fields, links, codebook, []);
    return { fields, links };
  }

  update(patch: SegmentPatch): Segment {
    const current = this.segment(patch.id);
    this.assertEditable(current.sessionId, current.raterId);
    const codebook = this.ensureCodebook();
    const fields: SegmentFields = {
      sessionId: current.sessionId,
      raterId: current.raterId,
      kind: current.kind,
      startMs: patch.startMs ?? current.startMs,
      endMs: patch.endMs ?? current.endMs,
      codebookVersionId: current.codebookVersionId,
      ruptureType:
        current.kind === 'rupture'
          ? (patch.ruptureType ??
            (patch.codes ? inferRuptureType(patch.codes, codebook.definition) : current.ruptureType))
          : null,
      codes: patch.codes ? normalizeCodes(patch.codes) : current.codes,
      rating: patch.rating === undefined ? current.rating : patch.rating,
      stage: patch.stage === undefined ? current.stage : patch.stage,
      tags: patch.tags ? normalizeCodes(patch.tags) : current.tags,
      note: patch.note ?? current.note,
      resolved: patch.resolved ?? current.resolved,
    };
    // Changing codes moves the segment to the current codebook version; codes it already had
    // stay allowed even if retired since.
    const codesChanged = patch.codes !== undefined || patch.tags !== undefined || patch.stage !== undefined;
    if (codesChanged) fields.codebookVersionId = codebook.versionId;
    const links = current.kind === 'repair' ? [...new Set(patch.linkedRuptureIds ?? current.linkedRuptureIds)] : [];
    this.validate(fields, links, codebook, [...current.codes, ...current.tags], current.id);
    const label =
      patch.startMs !== undefined || patch.endMs !== undefined
        ? patch.startMs !== undefined &&
          patch.endMs !== undefined &&
          patch.endMs - patch.startMs === current.endMs - current.startMs
          ? 'move'
          : 'resize'
        : 'edit';
    const run = this.db.transaction(() => {
      const before = this.repos.segments.snapshot([current.id]);
      this.repos.segments.update(current.id, fields);
      if (current.kind === 'repair') this.repos.segments.setLinks(current.id, links);
      this.repos.edits.push(
        current.sessionId,
        current.raterId,
        `${label} of ${describe(fields)}`,
        [current.id],
        before,
        this.repos.segments.snapshot([current.id]),
      );
    });
    run();
    return this.repos.segments.get(current.id)!;
  }

  delete(id: number): { deleted: true } {
    const current = this.segment(id);
    this.assertEditable(current.sessionId, current.raterId);
    const run = this.db.transaction(() => {
      const before = this.repos.segments.snapshot([id]);
      this.repos.segments.delete(id);
      this.repos.edits.push(current.sessionId, current.raterId, `deletion of ${describe(current)}`, [id], before, {
        segments: [],
        links: [],
      });
    });
    run();
    return { deleted: true };
  }

  /** Links a repair to a rupture of the same session and rater. */
  link(repairId: number, ruptureId: number): Segment {
    const repair = this.segment(repairId);
    if (repair.kind !== 'repair') throw new AppError('INVALID_INPUT', 'Only a repair can be linked to a rupture.');
    return this.update({ id: repairId, linkedRuptureIds: [...new Set([...repair.linkedRuptureIds, ruptureId])] });
  }

  unlink(repairId: number, ruptureId: number): Segment {
    const repair = this.segment(repairId);
    return this.update({ id: repairId, linkedRuptureIds: repair.linkedRuptureIds.filter((r) => r !== ruptureId) });
  }

  /** Undoes this rater's last change in the session (their own history only). */
  undo(sessionId: number, raterId: number, viewerId: number | null = raterId): SessionAnnotations {
    this.assertEditable(sessionId, raterId);
    const edit = this.repos.edits.lastDone(sessionId, raterId);
    if (!edit) throw new AppError('NOT_FOUND', 'There is nothing to undo in this session.');
    this.db.transaction(() => {
      this.repos.segments.restore(edit.ids, edit.before);
      this.repos.edits.setUndone(edit.id, true);
    })();
    return this.list(sessionId, viewerId);
  }

  redo(sessionId: number, raterId: number, viewerId: number | null = raterId): SessionAnnotations {
    this.assertEditable(sessionId, raterId);
    const edit = this.repos.edits.firstUndone(sessionId, raterId);
    if (!edit) throw new AppError('NOT_FOUND', 'There is nothing to redo in this session.');
    this.db.transaction(() => {
      this.repos.segments.restore(edit.ids, edit.after);
      this.repos.edits.setUndone(edit.id, false);
    })();
    return this.list(sessionId, viewerId);
  }

  /** A submitted rating is locked: changing it needs a revision with a reason. */
  assertEditable(sessionId: number, raterId: number): void {
    if (this.repos.ratings.get(sessionId, raterId)?.status === 'submitted') {
      const r = this.repos.raters.get(raterId);
      throw new AppError(
        'INVALID_INPUT',
        `${r?.name ?? 'This'} rating of the session is submitted. Start a revision (with a reason) to change it.`,
      );
    }
  }

  /** Locks the rater's rating of the session; others may now see it. */
  submit(sessionId: number, raterId: number): SessionAnnotations {
    this.library.getSession(sessionId);
    this.rater(raterId);
    this.repos.ratings.submit(sessionId, raterId);
    return this.list(sessionId, raterId);
  }

  /** Opens a new revision of a submitted rating, keeping the submitted one with the reason. */
  revise(sessionId: number, raterId: number, reason: string): SessionAnnotations {
    const rating = this.repos.ratings.get(sessionId, raterId);
    if (rating?.status !== 'submitted')
      throw new AppError('INVALID_INPUT', 'Only a submitted rating can be revised; this one is still a draft.');
    if (!reason.trim()) throw new AppError('INVALID_INPUT', 'Say why the submitted rating is being changed.');
    const snapshot = this.repos.segments.listBySession(sessionId).filter((s) => s.raterId === raterId);
    this.db.transaction(() => this.repos.ratings.revise(sessionId, raterId, reason.trim(), snapshot))();
    return this.list(sessionId, raterId);
  }

  revisions(sessionId: number, raterId: number) {
    return this.repos.ratings.revisions(sessionId, raterId);
  }

  // Consensus ---------------------------------------------------------------------------------

  consensusRater(): Rater {
    return this.repos.raters.byName(CONSENSUS_RATER) ?? this.repos.raters.insert(CONSENSUS_RATER, 'supervisor');
  }

  /**
   * Builds a consensus segment from raters' segments: one source is accepted as it is, several
   * are merged (their span, the union of their codes, the highest rating). The consensus segment
   * records where it came from, and is undoable like any other change.
   */
  acceptIntoConsensus(sourceIds: number[], supervisorId: number): Segment {
    const supervisor = this.rater(supervisorId);
    if (supervisor.role !== 'supervisor')
      throw new AppError('INVALID_INPUT', 'Only a supervisor builds the consensus lane.');
    const sources = [...new Set(sourceIds)].map((id) => this.segment(id));
    if (sources.length === 0) throw new AppError('INVALID_INPUT', 'Choose at least one segment to accept.');
    const kind = sources[0]!.kind;
    const sessionId = sources[0]!.sessionId;
    if (sources.some((s) => s.kind !== kind || s.sessionId !== sessionId)) {
      throw new AppError(
        'INVALID_INPUT',
        'Merge segments of one kind from one session (ruptures with ruptures, repairs with repairs).',
      );
    }
    const visible = this.visibleRaters(sessionId, supervisorId);
    if (visible && sources.some((s) => !visible.has(s.raterId)))
      throw new AppError('INVALID_INPUT', 'Only submitted ratings can go into the consensus.');
    const consensus = this.consensusRater();
    if (sources.some((s) => s.raterId === consensus.id))
      throw new AppError('INVALID_INPUT', 'That segment is already in the consensus lane.');
    const ratings = sources.map((s) => s.rating).filter((r): r is number => r !== null);
    const { fields } = this.prepare({
      sessionId,
      raterId: consensus.id,
      kind,
      startMs: Math.min(...sources.map((s) => s.startMs)),
      endMs: Math.max(...sources.map((s) => s.endMs)),
      codes: [...new Set(sources.flatMap((s) => s.codes))],
      rating: ratings.length ? Math.max(...ratings) : null,
      stage: kind === 'repair' ? (sources.find((s) => s.stage)?.stage ?? null) : null,
      tags: [...new Set(sources.flatMap((s) => s.tags))],
      note: [...new Set(sources.map((s) => s.note).filter(Boolean))].join(' / '),
    });
    fields.sources = sources.map((s) => ({ segmentId: s.id, raterId: s.raterId }));
    const id = this.db.transaction(() => {
      const newId = this.repos.segments.insert(fields);
      this.repos.edits.push(
        sessionId,
        consensus.id,
        `consensus ${describe(fields)}`,
        [newId],
        { segments: [], links: [] },
        this.repos.segments.snapshot([newId]),
      );
      return newId;
    })();
    return this.repos.segments.get(id)!;
  }

  private segment(id: number): Segment {
    const s = this.repos.segments.get(id);
    if (!s) throw new AppError('NOT_FOUND', 'That segment no longer exists (it may have been undone).');
    return s;
  }

  private requireCurrentRater(): Rater {
    const r = this.currentRater();
    if (!r) throw new AppError('INVALID_INPUT', 'Choose who is rating (the current rater) before marking segments.');
    return r;
  }

  /** Session length: the end of its longest recording on the session timeline. */
  sessionDurationMs(sessionId: number): number {
    const d = this.library.sessionDetail(sessionId);
    return Math.max(0, ...d.recordings.map((r) => r.durationMs + Math.max(0, r.offsetMs)));
  }

  private validate(f: SegmentFields, links: number[], codebook: Codebook, alreadyHad: string[], selfId?: number): void {
    const duration = this.sessionDurationMs(f.sessionId);
    if (duration === 0)
      throw new AppError('INVALID_INPUT', 'Import a recording into this session before marking segments.');
    if (!Number.isInteger(f.startMs) || !Number.isInteger(f.endMs))
      throw new AppError('INVALID_INPUT', 'Times are whole milliseconds.');
    if (f.startMs < 0) throw new AppError('INVALID_INPUT', 'A segment cannot start before the session does.');
    if (f.kind === 'comment' ? f.endMs < f.startMs : f.endMs <= f.startMs) {
      throw new AppError(
        'INVALID_INPUT',
        `The end (${formatTime(f.endMs)}) must come after the start (${formatTime(f.startMs)}).`,
      );
    }
    if (f.endMs > duration) {
      throw new AppError(
        'INVALID_INPUT',
        `The segment ends at ${formatTime(f.endMs)}, after the end of the session (${formatTime(duration)}).`,
      );
    }
    if (f.kind === 'comment' && (f.codes.length || f.rating !== null)) {
      throw new AppError('INVALID_INPUT', 'A comment has text, not codes or ratings.');
    }
    const byKey = new Map(codebook.definition.codes.map((c) => [c.key.toUpperCase(), c]));
    const allowed: Record<SegmentKind, Code['category'][]> = {
      rupture: ['withdrawal', 'confrontation'],
      repair: ['repair'],
      comment: [],
    };
    for (const key of f.codes) {
      const code = byKey.get(key);
      if (!code)
        throw new AppError('INVALID_INPUT', `${key} is not a code in the codebook "${codebook.definition.name}".`);
      if (!allowed[f.kind].includes(code.category)) {
        throw new AppError(
          'INVALID_INPUT',
          `${key} (${code.label}) is a ${code.category} code; it cannot be used on a ${KIND_WORD[f.kind]}.`,
        );
      }
      if (code.retired && !alreadyHad.includes(key))
        throw new AppError('INVALID_INPUT', `${key} is retired and no longer used for new annotations.`);
    }
    for (const key of f.tags) {
      const code = byKey.get(key);
      if (!code || code.category !== 'intervention')
        throw new AppError('INVALID_INPUT', `${key} is not an intervention tag in the codebook.`);
    }
    if (f.kind !== 'comment' && f.rating !== null && !(Number.isInteger(f.rating) && f.rating >= 1 && f.rating <= 5)) {
      throw new AppError('INVALID_INPUT', 'Ratings go from 1 to 5.');
    }
    if (
      f.kind === 'rupture' &&
      f.ruptureType === 'withdrawal' &&
      f.codes.some((k) => byKey.get(k)?.category === 'confrontation')
    ) {
      throw new AppError(
        'INVALID_INPUT',
        'A withdrawal rupture cannot carry confrontation markers; choose the type "both".',
      );
    }
    if (
      f.kind === 'rupture' &&
      f.ruptureType === 'confrontation' &&
      f.codes.some((k) => byKey.get(k)?.category === 'withdrawal')
    ) {
      throw new AppError(
        'INVALID_INPUT',
        'A confrontation rupture cannot carry withdrawal markers; choose the type "both".',
      );
    }
    if (f.stage !== null) {
      if (f.kind !== 'repair') throw new AppError('INVALID_INPUT', 'Only a repair records the stage reached.');
      const stage = codebook.definition.stages.find((s) => s.key.toUpperCase() === f.stage!.toUpperCase());
      if (!stage) throw new AppError('INVALID_INPUT', `${f.stage} is not a stage in the codebook.`);
      const types = links.map((id) => this.repos.segments.get(id)?.ruptureType).filter(Boolean);
      if (stage.model !== 'general' && types.length && !types.some((t) => t === stage.model || t === 'both')) {
        throw new AppError(
          'INVALID_INPUT',
          `${stage.key} belongs to the ${stage.model} model, but the linked rupture is of another type.`,
        );
      }
      f.stage = stage.key;
    }
    for (const id of links) {
      if (id === selfId) throw new AppError('INVALID_INPUT', 'A repair cannot be linked to itself.');
      const target = this.repos.segments.get(id);
      if (!target) throw new AppError('INVALID_INPUT', 'The rupture to link no longer exists.');
      if (target.kind !== 'rupture') throw new AppError('INVALID_INPUT', 'A repair can only be linked to a rupture.');
      if (target.sessionId !== f.sessionId || target.raterId !== f.raterId) {
        throw new AppError('INVALID_INPUT', 'Links join segments of the same session and the same rater.');
      }
    }
  }

  // Summary -----------------------------------------------------------------------------------

  summary(sessionId: number, raterId: number | null): SessionSummary {
    const all = this.repos.segments.listBySession(sessionId);
    const segs = raterId === null ? all : all.filter((s) => s.raterId === raterId);
    const ruptures = segs.filter((s) => s.kind === 'rupture');
    const statuses = new Map(ruptureStatuses(segs).map((s) => [s.ruptureId, s]));
    const byType: Record<RuptureType, number> = { withdrawal: 0, confrontation: 0, both: 0 };
    const byMarker: Record<string, number> = {};
    for (const r of ruptures) {
      if (r.ruptureType) byType[r.ruptureType]++;
      for (const c of r.codes) byMarker[c] = (byMarker[c] ?? 0) + 1;
    }
    const times = ruptures
      .map((r) => statuses.get(r.id)?.msToFirstRepair)
      .filter((x): x is number => x !== null && x !== undefined);
    const score = ruptures.reduce((a, r) => {
      const st = statuses.get(r.id)?.status;
      return a + (st === 'repaired' ? 1 : st === 'partly' ? 0.5 : 0);
    }, 0);
    const comments = segs.filter((s) => s.kind === 'comment');
    return {
      sessionId,
      raterId,
      ruptures: ruptures.length,
      byType,
      byMarker,
      repairs: segs.filter((s) => s.kind === 'repair').length,
      comments: comments.length,
      unresolvedComments: comments.filter((c) => !c.resolved).length,
      totalRuptureMs: unionLength(ruptures),
      shareRepaired: ruptures.length ? score / ruptures.length : null,
      medianMsToRepair: median(times),
      unrepaired: ruptures
        .filter((r) => statuses.get(r.id)?.status === 'unrepaired')
        .map((r) => ({ id: r.id, startMs: r.startMs, endMs: r.endMs, codes: r.codes })),
    };
  }

  // 3RS grid ----------------------------------------------------------------------------------

  grid(sessionId: number, raterId: number, segmentMs?: number): Grid {
    this.rater(raterId);
    const stored = this.repos.grid.session(sessionId, raterId);
    const size = segmentMs ?? stored?.segment_ms ?? 300_000;
    if (segmentMs !== undefined && stored?.segment_ms !== segmentMs) {
      this.repos.grid.setSession(
        sessionId,
        raterId,
        size,
        stored?.therapist_contribution ?? null,
        stored?.resolution_extent ?? null,
      );
    }
    const duration = this.sessionDurationMs(sessionId);
    const count = Math.max(1, Math.ceil(duration / size));
    const saved = this.repos.grid.cells(sessionId, raterId, size);
    const cells: GridCell[] = Array.from({ length: count }, (_, i) => {
      const c = saved.get(i);
      return {
        index: i,
        startMs: i * size,
        endMs: Math.min(duration, (i + 1) * size),
        codes: c?.codes ?? [],
        withdrawalSignificance: c?.withdrawalSignificance ?? null,
        confrontationSignificance: c?.confrontationSignificance ?? null,
      };
    });
    return {
      sessionId,
      raterId,
      segmentMs: size,
      cells,
      therapistContribution: stored?.therapist_contribution ?? null,
      resolutionExtent: stored?.resolution_extent ?? null,
    };
  }

  setGridCell(input: {
    sessionId: number;
    raterId: number;
    segmentMs: number;
    index: number;
    codes: string[];
    withdrawalSignificance: number | null;
    confrontationSignificance: number | null;
  }): Grid {
    const grid = this.grid(input.sessionId, input.raterId, input.segmentMs);
    if (input.index >= grid.cells.length)
      throw new AppError(
        'INVALID_INPUT',
        `The session has ${grid.cells.length} grid segments; there is no segment ${input.index + 1}.`,
      );
    const codebook = this.ensureCodebook();
    const codes = normalizeCodes(input.codes);
    for (const k of codes) {
      const code = codebook.definition.codes.find((c) => c.key.toUpperCase() === k);
      if (!code || code.category === 'intervention')
        throw new AppError('INVALID_INPUT', `${k} is not a marker or strategy in the codebook.`);
    }
    this.repos.grid.setCell(input.sessionId, input.raterId, input.segmentMs, {
      index: input.index,
      codes,
      withdrawalSignificance: input.withdrawalSignificance,
      confrontationSignificance: input.confrontationSignificance,
    });
    return this.grid(input.sessionId, input.raterId, input.segmentMs);
  }

  setGridSession(input: {
    sessionId: number;
    raterId: number;
    segmentMs: number;
    therapistContribution: number | null;
    resolutionExtent: number | null;
  }): Grid {
    this.rater(input.raterId);
    this.repos.grid.setSession(
      input.sessionId,
      input.raterId,
      input.segmentMs,
      input.therapistContribution,
      input.resolutionExtent,
    );
    return this.grid(input.sessionId, input.raterId, input.segmentMs);
  }

  /** Fills each grid segment with the markers and strategies of the rater's event segments in it. */
  prefillGrid(sessionId: number, raterId: number, segmentMs: number): Grid {
    const grid = this.grid(sessionId, raterId, segmentMs);
    const segs = this.repos.segments
      .listBySession(sessionId)
      .filter((s) => s.raterId === raterId && s.kind !== 'comment');
    const codebook = this.ensureCodebook();
    const category = new Map(codebook.definition.codes.map((c) => [c.key.toUpperCase(), c.category]));
    this.db.transaction(() => {
      for (const cell of grid.cells) {
        const inside = segs.filter((s) => s.startMs < cell.endMs && s.endMs > cell.startMs);
        const codes = [...new Set([...cell.codes, ...inside.flatMap((s) => s.codes)])].sort(codeOrder);
        const maxSig = (cat: 'withdrawal' | 'confrontation', prev: number | null) => {
          const ratings = inside
            .filter((s) => s.kind === 'rupture' && s.rating !== null && s.codes.some((c) => category.get(c) === cat))
            .map((s) => s.rating!);
          return ratings.length ? Math.max(prev ?? 1, ...ratings) : prev;
        };
        this.repos.grid.setCell(sessionId, raterId, segmentMs, {
          index: cell.index,
          codes,
          withdrawalSignificance: maxSig('withdrawal', cell.withdrawalSignificance),
          confrontationSignificance: maxSig('confrontation', cell.confrontationSignificance),
        });
      }
    })();
    return this.grid(sessionId, raterId, segmentMs);
  }
}

export function normalizeCodes(codes: string[]): string[] {
  return [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
}

const collator = new Intl.Collator('en', { numeric: true });
function codeOrder(a: string, b: string): number {
  return collator.compare(a, b);
}

function describe(f: Pick<Segment, 'kind' | 'codes' | 'startMs'>): string {
  const codes = f.codes.length ? `${f.codes.join('+')} ` : '';
  return `${codes}${KIND_WORD[f.kind]} at ${formatTime(f.startMs, false)}`;
}
