/**
 * Segments (ruptures, repairs, comments): listing as a viewer may see them, creating, editing,
 * moving, deleting, linking, importing many, and undo/redo through the edit log. Who may do
 * what is the policy's; this service asks it.
 */
import type {
  History,
  RuptureType,
  Segment,
  SegmentKind,
  SegmentOrigin,
  SessionAnnotations,
} from '../../shared/annotations';
import { inferRuptureType, ruptureStatuses } from '../../shared/annotation-logic';
import type { Code, Codebook } from '../../shared/codebook';
import { AppError } from '../../shared/errors';
import { sessionDurationMs, spanProblem } from '../../shared/segment-rules';
import { formatTime } from '../../shared/time';
import type { AnnotationRepos, SegmentFields } from './repositories';
import { write, type Db } from '../db/open';
import type { CodebookService } from './codebook';
import { recordEdit, replayEdit } from './edit-log';
import type { LibraryService } from '../library/library';
import type { Policy, Viewer } from '../rpc/policy';
import { count } from '../../shared/words';

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
  /** Imports only: where the segment came from. */
  origin?: SegmentOrigin | null;
}

export type SegmentPatch = Partial<Omit<SegmentInput, 'sessionId' | 'raterId' | 'kind' | 'origin'>> & {
  id: number;
  resolved?: boolean;
};

const KIND_WORD: Record<SegmentKind, string> = { rupture: 'rupture', repair: 'repair', comment: 'comment' };

export interface SegmentDeps {
  db: Db;
  repos: Pick<AnnotationRepos, 'segments' | 'edits' | 'ratings' | 'raters'>;
  library: LibraryService;
  codebook: CodebookService;
  policy: Policy;
}

export class SegmentService {
  constructor(private readonly deps: SegmentDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  private get log() {
    return { db: this.deps.db, segments: this.deps.repos.segments, edits: this.deps.repos.edits };
  }

  /**
   * The session's segments as `viewer` may see them (blind rating; see the policy). 'all' is
   * the command line and exports, which see everything.
   */
  list(sessionId: number, viewer: Viewer | 'all'): SessionAnnotations {
    this.deps.library.getSession(sessionId);
    const all = this.repos.segments.listBySession(sessionId);
    const ratings = this.repos.ratings.forSession(sessionId);
    const visible = this.deps.policy.visibleRaters(sessionId, viewer, ratings);
    const segments = visible === null ? all : all.filter((s) => visible.has(s.raterId));
    const hidden = new Set<number>();
    for (const s of all) if (visible !== null && !visible.has(s.raterId)) hidden.add(s.raterId);
    const raterIds = new Set(segments.map((s) => s.raterId));
    const me = viewer === 'all' ? null : viewer;
    return {
      sessionId,
      raters: this.repos.raters.list().filter((r) => raterIds.has(r.id)),
      ratings,
      hidden: [...hidden].map((raterId) => ({ raterId })),
      segments,
      ruptureStatus: ruptureStatuses(segments),
      ...this.history(sessionId, me?.id ?? null),
    };
  }

  /** What undo and redo would do now for this rater (labels only; cheap). */
  history(sessionId: number, raterId: number | null): History {
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

  /** Marks a segment for `input.raterId` (default: the viewer). */
  create(input: SegmentInput, viewer: Viewer | 'all'): Segment {
    const raterId = input.raterId ?? this.deps.policy.requireViewer(viewer === 'all' ? null : viewer).id;
    this.deps.policy.assertCanWrite(input.sessionId, raterId, viewer);
    const { fields, links } = this.prepare({ ...input, raterId });
    const id = recordEdit(this.log, {
      sessionId: fields.sessionId,
      raterId: fields.raterId,
      label: `new ${describe(fields)}`,
      ids: [],
      change: () => {
        const newId = this.repos.segments.insert(fields);
        if (links.length) this.repos.segments.setLinks(newId, links);
        return { value: newId, created: [newId] };
      },
    });
    return this.repos.segments.get(id)!;
  }

  /**
   * Imports many segments as one undoable change. All or nothing unless `skipInvalid`: every
   * row is checked first, and rejected rows are reported with their line number and reason.
   */
  importSegments(
    rows: { line: number; input: SegmentInput; key?: string; linkKeys?: string[] }[],
    skipInvalid: boolean,
  ): { imported: number; rejected: { line: number; reason: string }[] } {
    const good: (ReturnType<SegmentService['prepare']> & { key?: string; linkKeys?: string[]; line: number })[] = [];
    const rejected: { line: number; reason: string }[] = [];
    const first = rows[0]?.input;
    if (first) {
      // One import is one undoable change of one rater's work in one session.
      if (
        first.raterId === undefined ||
        rows.some((r) => r.input.sessionId !== first.sessionId || r.input.raterId !== first.raterId)
      )
        throw new AppError('INVALID_INPUT', 'An import goes into one session, for one rater.');
      this.deps.policy.assertCanWrite(first.sessionId, first.raterId, 'all');
    }
    const context = first ? this.context(first.sessionId) : null;
    for (const row of rows) {
      try {
        good.push({
          ...this.prepare(row.input, context ?? undefined),
          key: row.key,
          linkKeys: row.linkKeys,
          line: row.line,
        });
      } catch (error) {
        rejected.push({ line: row.line, reason: error instanceof AppError ? error.message : String(error) });
      }
    }
    // Links by the file's own ids: a repair may link only to a rupture of this same import.
    const ruptureKeys = new Set(good.filter((g) => g.fields.kind === 'rupture' && g.key).map((g) => g.key!));
    for (const g of good)
      for (const k of g.linkKeys ?? [])
        if (!ruptureKeys.has(k))
          rejected.push({
            line: g.line,
            reason: `it links to "${k}", which is not a rupture of this rater in the file.`,
          });
    if ((rejected.length && !skipInvalid) || good.length === 0) return { imported: 0, rejected };
    const head = good[0]!.fields;
    recordEdit(this.log, {
      sessionId: head.sessionId,
      raterId: head.raterId,
      label: `import of ${count(good.length, 'segment')}`,
      ids: [],
      change: () => {
        const created = good.map(({ fields }) => this.repos.segments.insert(fields));
        const idOf = new Map(good.map((g, i) => [g.key, created[i]!]));
        good.forEach((g, i) => {
          const links = (g.linkKeys ?? []).map((k) => idOf.get(k)).filter((id): id is number => id !== undefined);
          if (links.length) this.repos.segments.setLinks(created[i]!, links);
        });
        return { value: undefined, created };
      },
    });
    return { imported: good.length, rejected };
  }

  update(patch: SegmentPatch, viewer: Viewer | 'all'): Segment {
    const current = this.deps.policy.segmentForWrite(patch.id, viewer);
    const codebook = this.deps.codebook.current();
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
      origin: current.origin ?? null,
    };
    // Changing codes moves the segment to the current codebook version; codes it already had
    // stay allowed even if retired since.
    if (patch.codes !== undefined || patch.tags !== undefined || patch.stage !== undefined)
      fields.codebookVersionId = codebook.versionId;
    const links = current.kind === 'repair' ? [...new Set(patch.linkedRuptureIds ?? current.linkedRuptureIds)] : [];
    this.validate(fields, links, this.context(current.sessionId), [...current.codes, ...current.tags], current.id);
    const moved = patch.startMs !== undefined || patch.endMs !== undefined;
    const label = !moved
      ? 'edit'
      : fields.endMs - fields.startMs === current.endMs - current.startMs && patch.startMs !== undefined
        ? 'move'
        : 'resize';
    recordEdit(this.log, {
      sessionId: current.sessionId,
      raterId: current.raterId,
      label: `${label} of ${describe(fields)}`,
      ids: [current.id],
      change: () => {
        this.repos.segments.update(current.id, fields);
        if (current.kind === 'repair') this.repos.segments.setLinks(current.id, links);
        return { value: undefined };
      },
    });
    return this.repos.segments.get(current.id)!;
  }

  delete(id: number, viewer: Viewer | 'all'): { deleted: true; sessionId: number; raterId: number } {
    const current = this.deps.policy.segmentForWrite(id, viewer);
    recordEdit(this.log, {
      sessionId: current.sessionId,
      raterId: current.raterId,
      label: `deletion of ${describe(current)}`,
      ids: [id],
      change: () => {
        this.repos.segments.delete(id);
        return { value: undefined };
      },
    });
    return { deleted: true, sessionId: current.sessionId, raterId: current.raterId };
  }

  /** Links a repair to a rupture of the same session and rater. */
  link(repairId: number, ruptureId: number, viewer: Viewer | 'all'): Segment {
    const repair = this.deps.policy.segmentForWrite(repairId, viewer);
    if (repair.kind !== 'repair') throw new AppError('INVALID_INPUT', 'Only a repair can be linked to a rupture.');
    return this.update(
      { id: repairId, linkedRuptureIds: [...new Set([...repair.linkedRuptureIds, ruptureId])] },
      viewer,
    );
  }

  unlink(repairId: number, ruptureId: number, viewer: Viewer | 'all'): Segment {
    const repair = this.deps.policy.segmentForWrite(repairId, viewer);
    return this.update(
      { id: repairId, linkedRuptureIds: repair.linkedRuptureIds.filter((r) => r !== ruptureId) },
      viewer,
    );
  }

  /** Undoes `raterId`'s last change in the session (their own history only). */
  undo(sessionId: number, raterId: number, viewer: Viewer | 'all'): SessionAnnotations {
    this.deps.policy.assertCanWrite(sessionId, raterId, viewer);
    replayEdit(this.log, sessionId, raterId, 'undo');
    return this.list(sessionId, viewer === 'all' ? this.repos.raters.get(raterId)! : viewer);
  }

  redo(sessionId: number, raterId: number, viewer: Viewer | 'all'): SessionAnnotations {
    this.deps.policy.assertCanWrite(sessionId, raterId, viewer);
    replayEdit(this.log, sessionId, raterId, 'redo');
    return this.list(sessionId, viewer === 'all' ? this.repos.raters.get(raterId)! : viewer);
  }

  /** Session length on the session's clock (where its last recording ends). */
  sessionDurationMs(sessionId: number): number {
    return sessionDurationMs(this.deps.library.sessionDetail(sessionId).recordings);
  }

  private context(sessionId: number): { durationMs: number; codebook: Codebook } {
    return { durationMs: this.sessionDurationMs(sessionId), codebook: this.deps.codebook.current() };
  }

  /** Fields for a new segment, checked; `raterId` must be set. */
  prepare(input: SegmentInput, context = this.context(input.sessionId)): { fields: SegmentFields; links: number[] } {
    const raterId = input.raterId!;
    const { codebook } = context;
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
      origin: input.origin ?? null,
    };
    const links = input.kind === 'repair' ? [...new Set(input.linkedRuptureIds ?? [])] : [];
    this.validate(fields, links, context, []);
    return { fields, links };
  }

  /**
   * Checks a segment made in another library (a rating package's return) by the same rules as
   * the app's own edits, against the codebook it was coded with. A code retired since is allowed
   * (it was in use when the segment was made); links are checked by the importer, which maps them.
   */
  checkImported(fields: SegmentFields, codebook: Codebook): void {
    this.validate(fields, [], { durationMs: this.sessionDurationMs(fields.sessionId), codebook }, fields.codes);
  }

  private validate(
    f: SegmentFields,
    links: number[],
    context: { durationMs: number; codebook: Codebook },
    alreadyHad: string[],
    selfId?: number,
  ): void {
    const { durationMs: duration, codebook } = context;
    if (duration === 0)
      throw new AppError('INVALID_INPUT', 'Import a recording into this session before marking segments.');
    const problem = spanProblem(f.kind, f.startMs, f.endMs, duration);
    if (problem) {
      if (f.endMs > duration && f.startMs <= f.endMs)
        throw new AppError(
          'INVALID_INPUT',
          `The segment ends at ${formatTime(f.endMs)}, after the end of the session (${formatTime(duration)}).`,
        );
      if (f.endMs < f.startMs || (f.endMs === f.startMs && f.kind !== 'comment'))
        throw new AppError(
          'INVALID_INPUT',
          `The end (${formatTime(f.endMs)}) must come after the start (${formatTime(f.startMs)}).`,
        );
      throw new AppError('INVALID_INPUT', problem);
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
    if (f.kind === 'rupture') {
      const other =
        f.ruptureType === 'withdrawal' ? 'confrontation' : f.ruptureType === 'confrontation' ? 'withdrawal' : null;
      if (other && f.codes.some((k) => byKey.get(k)?.category === other)) {
        throw new AppError(
          'INVALID_INPUT',
          `A ${f.ruptureType} rupture cannot carry ${other} markers; choose the type "both".`,
        );
      }
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

  /** Inserts a checked segment as one undoable change (the consensus lane builds with this). */
  insertPrepared(fields: SegmentFields, label: string): Segment {
    const id = recordEdit(this.log, {
      sessionId: fields.sessionId,
      raterId: fields.raterId,
      label: `${label} ${describe(fields)}`,
      ids: [],
      change: () => {
        const newId = this.repos.segments.insert(fields);
        return { value: newId, created: [newId] };
      },
    });
    return this.repos.segments.get(id)!;
  }

  /** Runs `fn` in one write transaction (for services composing several changes). */
  inTransaction<T>(fn: () => T): T {
    return write(this.deps.db, fn);
  }
}

export function normalizeCodes(codes: string[]): string[] {
  return [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
}

export function describe(f: Pick<Segment, 'kind' | 'codes' | 'startMs'>): string {
  const codes = f.codes.length ? `${f.codes.join('+')} ` : '';
  return `${codes}${KIND_WORD[f.kind]} at ${formatTime(f.startMs, false)}`;
}
