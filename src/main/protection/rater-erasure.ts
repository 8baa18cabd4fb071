/**
 * Erasing a rater (a supervisor's, or the command line's): all their work in every session — segments
 * and their edit history, ratings and kept revisions, grids, questionnaires, assignments, the
 * comments they wrote with the replies to them — then the rater, then the freed space. Consensus
 * segments stay, without the rater among their sources. The audit log keeps only that it happened.
 */
import { AppError } from '../../shared/errors';
import { eraseRater, raterImpact, type RaterImpact } from '../coding/repositories';
import { compactAfterErasure, write } from '../db/open';
import type { Core } from '../app';
import { AuditLog, raterActor } from './audit';

/** What this needs of the core, by name. */
export type ErasureDeps = Pick<Core, 'annotations' | 'audit' | 'backups' | 'db'>;

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export function describeRaterImpact(name: string, i: RaterImpact): string {
  const parts = [
    i.segments ? `${n(i.segments, 'segment')} with their edit history` : '',
    i.submittedRatings ? n(i.submittedRatings, 'submitted rating') : '',
    i.revisions ? n(i.revisions, 'kept revision') : '',
    i.responses ? n(i.responses, 'questionnaire') : '',
    i.feedback ? `${n(i.feedback, 'comment')} with the replies to them` : '',
  ].filter(Boolean);
  const what = parts.length ? `${parts.join(', ')} in ${n(i.sessions, 'session')}` : 'no work';
  return `Erasing ${name} erases ${what}, and overwrites the space it took. The audit log keeps only that it happened, under a pseudonym.`;
}

export function raterErasure(core: ErasureDeps, raterId: number) {
  const rater = core.annotations.raters().find((r) => r.id === raterId);
  if (!rater) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
  if (rater.consensus)
    throw new AppError('INVALID_INPUT', 'The consensus lane is not a person; it is not erased this way.');
  const impact = raterImpact(core.db, raterId);
  return {
    rater,
    impact,
    words: describeRaterImpact(rater.name, impact),
    erase: () => {
      const pseudonym = `erased rater #${rater.id}`;
      const rename = (actor: string, subject: string) => ({
        actor: actor === raterActor(rater.name, rater.role) ? raterActor(pseudonym, rater.role) : actor,
        subject: subject
          .replace(`package for ${rater.name}: `, `package for ${pseudonym}: `)
          .replace(`return of ${rater.name}: `, `return of ${pseudonym}: `),
      });
      const audited = write(core.db, () => {
        eraseRater(core.db, raterId);
        // Their name leaves the audit log too: as the actor of their entries, and where a
        // package's entry named them; the log is re-chained and still verifies.
        return core.audit.pseudonymise(rename);
      });
      // The same erasure reaches every backup: their rows and their audit logs' names.
      const backups = core.backups.eraseFromCopies((copy) => {
        eraseRater(copy, raterId);
        new AuditLog(copy, () => '').pseudonymise(rename);
      });
      return { compacted: compactAfterErasure(core.db), auditEntriesRenamed: audited, backups };
    },
  };
}
