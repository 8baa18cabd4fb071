/**
 * The edit log behind undo and redo: every undoable change is recorded here with the state of
 * the rows it touched before and after, in the same IMMEDIATE transaction as the change itself.
 * Undo and redo only ever touch the undoing rater's own rows in that session.
 */
import { AppError } from '../../shared/errors';
import type { EditRepo, SegmentRepo, SegmentSnapshot } from './repositories';
import { write, type Db } from '../db/open';

export interface EditLogDeps {
  db: Db;
  segments: SegmentRepo;
  edits: EditRepo;
}

export interface EditSpec<T> {
  sessionId: number;
  raterId: number;
  /** In words, for the Undo button: "move of W2 rupture at 00:01:23". */
  label: string;
  /** Rows the change touches that exist before it (empty for a creation). */
  ids: number[];
  /** Makes the change; returns what it returns and any rows it created. */
  change: () => { value: T; created?: number[] };
}

/** Runs an undoable change and records it, all in one transaction. */
export function recordEdit<T>(deps: EditLogDeps, spec: EditSpec<T>): T {
  return write(deps.db, () => {
    const before: SegmentSnapshot = deps.segments.snapshot(spec.ids);
    const { value, created = [] } = spec.change();
    const ids = [...spec.ids, ...created];
    deps.edits.push(spec.sessionId, spec.raterId, spec.label, ids, before, deps.segments.snapshot(ids));
    return value;
  });
}

/** Undoes (`direction` 'undo') or redoes the rater's last change in the session. */
export function replayEdit(deps: EditLogDeps, sessionId: number, raterId: number, direction: 'undo' | 'redo'): void {
  write(deps.db, () => {
    const edit =
      direction === 'undo' ? deps.edits.lastDone(sessionId, raterId) : deps.edits.firstUndone(sessionId, raterId);
    if (!edit) throw new AppError('NOT_FOUND', `There is nothing to ${direction} in this session.`);
    const target = direction === 'undo' ? edit.before : edit.after;
    // Never touch anyone else's rows: every row the edit would remove or restore must be this
    // rater's, in this session. (Ids are never reused, so this holds unless the log is damaged.)
    const foreign =
      deps.segments.owners(edit.ids).some((o) => o.sessionId !== sessionId || o.raterId !== raterId) ||
      target.segments.some((s) => s.session_id !== sessionId || s.rater_id !== raterId);
    if (foreign) {
      throw new AppError(
        'INVALID_INPUT',
        `The change "${edit.label}" can no longer be ${direction === 'undo' ? 'undone' : 'redone'}: it would touch another rater's work. Nothing was changed.`,
      );
    }
    deps.segments.restore(edit.ids, target);
    deps.edits.setUndone(edit.id, direction === 'undo');
  });
}
