/**
 * Questionnaires: instrument definitions (data), responses per session, perspective and rater,
 * scoring, and CSV import of many responses (`session,perspective,rater,item,value`).
 */
import { ROLES, type Role } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import {
  checkAnswers,
  DEFAULT_INSTRUMENTS,
  instrumentSchema,
  score,
  type Answers,
  type Instrument,
} from '../../shared/instruments';
import { write, type Db } from '../db/open';
import type { PerspectiveRepos } from './repositories';
import type { LibraryService } from '../library/library';
import type { Policy, Viewer } from '../rpc/policy';
import type { RaterService } from '../coding/raters';

export interface ResponseRecord {
  id: number;
  sessionId: number;
  raterId: number;
  raterName: string;
  perspective: Role;
  instrument: string;
  answers: Answers;
  scores: { subscales: Record<string, number | null>; total: number | null };
}

export class ResponseService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<PerspectiveRepos, 'instruments' | 'responses'>,
    private readonly library: LibraryService,
    private readonly raters: RaterService,
    private readonly policy: Policy,
  ) {}

  ensureInstruments(): void {
    this.repos.instruments.ensure(DEFAULT_INSTRUMENTS);
  }

  instruments(): Instrument[] {
    return this.repos.instruments.list();
  }

  instrument(key: string): { id: number; def: Instrument } {
    const found = this.repos.instruments.byKey(key);
    if (!found) throw new AppError('NOT_FOUND', `There is no instrument "${key}".`);
    return found;
  }

  /** Adds or replaces an instrument from JSON (e.g. with licensed item wording pasted in). */
  importInstrument(text: string): Instrument {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new AppError('INVALID_INPUT', `The instrument is not valid JSON (${(e as Error).message}).`);
    }
    const parsed = instrumentSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError(
        'INVALID_INPUT',
        `The instrument was not imported. ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      );
    }
    this.repos.instruments.upsert(parsed.data);
    return parsed.data;
  }

  /** Stores (or replaces) one rater's answers to one instrument for a session. */
  save(
    input: {
      sessionId: number;
      raterId: number;
      perspective: Role;
      instrument: string;
      answers: Answers;
    },
    viewer: Viewer | 'all' = 'all',
  ): ResponseRecord {
    this.policy.assertCanAnswer(input.sessionId, input.raterId, input.perspective, viewer);
    const { id: instrumentId, def } = this.instrument(input.instrument);
    if (!def.perspectives.includes(input.perspective)) {
      throw new AppError(
        'INVALID_INPUT',
        `${def.name} is filled in by ${def.perspectives.join(' or ')}, not by a ${input.perspective}.`,
      );
    }
    const problem = checkAnswers(def, input.answers);
    if (problem) throw new AppError('INVALID_INPUT', problem);
    this.repos.responses.save({
      sessionId: input.sessionId,
      raterId: input.raterId,
      instrumentId,
      perspective: input.perspective,
      answers: input.answers,
    });
    return this.forSession(input.sessionId).find((r) => r.raterId === input.raterId && r.instrument === def.key)!;
  }

  forSession(sessionId: number): ResponseRecord[] {
    return this.repos.responses.forSession(sessionId).map((r) => ({
      id: r.id,
      sessionId: r.sessionId,
      raterId: r.raterId,
      raterName: r.raterName,
      perspective: r.perspective,
      instrument: r.instrument.key,
      answers: r.answers,
      scores: score(r.instrument, r.answers),
    }));
  }

  /**
   * Imports `session,perspective,rater,item,value` rows, all or nothing. `item` is
   * `instrument:item` (e.g. `psr-patient:tension`) or an item id that only one instrument for
   * that perspective has. Yes/no items take yes/no/true/false/1/0. Raters are created when new,
   * with the row's perspective as their role.
   */
  importCsv(rows: string[][]): { imported: number; responses: number; rejected: { line: number; reason: string }[] } {
    const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
    const col = (n: string) => header.indexOf(n);
    const missing = ['session', 'perspective', 'rater', 'item', 'value'].filter((n) => col(n) < 0);
    if (missing.length)
      return {
        imported: 0,
        responses: 0,
        rejected: [
          {
            line: 1,
            reason: `The header must name session,perspective,rater,item,value; missing: ${missing.join(', ')}.`,
          },
        ],
      };
    const instruments = this.instruments();
    const groups = new Map<
      string,
      { sessionId: number; rater: string; perspective: Role; instrument: string; answers: Answers; lines: number[] }
    >();
    const rejected: { line: number; reason: string }[] = [];
    rows.slice(1).forEach((rec, i) => {
      const line = i + 2;
      if (rec.every((c) => c.trim() === '')) return;
      const get = (n: string) => rec[col(n)]?.trim() ?? '';
      const sessionId = Number(get('session'));
      const perspective = get('perspective').toLowerCase() as Role;
      const rater = get('rater');
      const itemRef = get('item');
      const raw = get('value');
      if (!Number.isInteger(sessionId) || sessionId < 1)
        return void rejected.push({ line, reason: `session "${get('session')}" is not a session id.` });
      try {
        this.library.getSession(sessionId);
      } catch {
        return void rejected.push({ line, reason: `there is no session ${sessionId}.` });
      }
      if (!ROLES.includes(perspective))
        return void rejected.push({
          line,
          reason: `perspective must be one of ${ROLES.join(', ')}, not "${get('perspective')}".`,
        });
      if (!rater) return void rejected.push({ line, reason: 'rater is empty.' });
      const [instKey, itemId] = itemRef.includes(':') ? itemRef.split(':', 2) : [null, itemRef];
      const candidates = instruments.filter(
        (d) =>
          (instKey ? d.key === instKey : d.perspectives.includes(perspective)) &&
          d.items.some((it) => it.id === itemId),
      );
      if (candidates.length === 0)
        return void rejected.push({
          line,
          reason: `no instrument${instKey ? ` "${instKey}"` : ` for ${perspective}`} has an item "${itemId}".`,
        });
      if (candidates.length > 1)
        return void rejected.push({
          line,
          reason: `item "${itemId}" is in several instruments; write it as instrument:item.`,
        });
      const def = candidates[0]!;
      const item = def.items.find((it) => it.id === itemId)!;
      let value: number | boolean | string | null = raw === '' ? null : raw;
      if (raw !== '' && item.type === 'scale') value = Number(raw);
      if (raw !== '' && item.type === 'yesno') {
        const v = raw.toLowerCase();
        value = ['yes', 'true', '1', 'y'].includes(v) ? true : ['no', 'false', '0', 'n'].includes(v) ? false : raw;
      }
      const problem = checkAnswers(def, { [item.id]: value });
      if (problem) return void rejected.push({ line, reason: problem });
      if (!def.perspectives.includes(perspective))
        return void rejected.push({ line, reason: `${def.name} is not filled in by a ${perspective}.` });
      const key = `${sessionId}\u0000${rater.toLowerCase()}\u0000${def.key}`;
      const g = groups.get(key) ?? { sessionId, rater, perspective, instrument: def.key, answers: {}, lines: [] };
      if (item.id in g.answers)
        return void rejected.push({ line, reason: `${rater} answered ${item.id} twice for session ${sessionId}.` });
      g.answers[item.id] = value;
      g.lines.push(line);
      groups.set(key, g);
    });
    if (rejected.length) return { imported: 0, responses: 0, rejected };
    let imported = 0;
    write(this.db, () => {
      for (const g of groups.values()) {
        const rater = this.raters.ensure(g.rater, g.perspective);
        this.save({
          sessionId: g.sessionId,
          raterId: rater.id,
          perspective: g.perspective,
          instrument: g.instrument,
          answers: g.answers,
        });
        imported += g.lines.length;
      }
    });
    return { imported, responses: groups.size, rejected };
  }
}
