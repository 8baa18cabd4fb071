/**
 * Exports for analysis in R, SPSS or Python, over a case or the whole library (see the data
 * dictionary in the README):
 *
 * - long format: one row per segment (case, session, rater, role, rating status, type, code,
 *   start/end in seconds, significance, stage, repair status, linked ruptures);
 * - units: one row per time unit × rater × code with presence 0/1 by the agreement's rule (a unit
 *   is present when its midpoint lies in [start, end); a point event in the unit it falls in), for
 *   kappa or multilevel models.
 */
import type { Segment } from '../../shared/annotations';
import type { Core } from '../app';
import { unitsOf } from '../../shared/agreement/time';
import { csvCell } from '../../shared/csv';

/** Analysis CSVs for R and the like: cells kept exactly (no spreadsheet neutralising; shared/csv.ts). */
const cell = (v: string | number | null | undefined) => csvCell(v, 'analysis');
import { privacy, raters as privateRaters } from './privacy';

/** What this needs of the core, by name. */
export type StudyExportDeps = Pick<Core, 'annotations' | 'library'>;

export const STUDY_SEGMENT_COLUMNS = [
  'case',
  'session',
  'session_date',
  'rater',
  'role',
  'rating_status',
  'segment_id',
  'type',
  'code',
  'rupture_type',
  'start_s',
  'end_s',
  'duration_s',
  'significance',
  'stage',
  'repair_status',
  'linked_rupture_ids',
  'source_file',
  'source_tier',
] as const;

export const STUDY_UNIT_COLUMNS = [
  'case',
  'session',
  'rater',
  'role',
  'rating_status',
  'unit',
  'unit_start_s',
  'unit_end_s',
  'code',
  'present',
] as const;

function sessionsOf(core: StudyExportDeps, caseCode?: string) {
  const cases = core.library.listCases();
  const chosen = caseCode ? cases.filter((c) => c.code.toLowerCase() === caseCode.toLowerCase()) : cases;
  return chosen.flatMap((c) => c.sessions.map((s) => ({ caseCode: c.code, session: s })));
}

export function studySegmentsCsv(core: StudyExportDeps, caseCode?: string, names = false): string {
  const lines: string[] = [STUDY_SEGMENT_COLUMNS.join(',')];
  // Raters by pseudonym (R and their number) unless names are asked for.
  const raters = new Map(privateRaters(core.annotations.raters(), privacy({ names })).map((r) => [r.id, r]));
  for (const { caseCode: code, session } of sessionsOf(core, caseCode)) {
    const a = core.annotations.list(session.id);
    const status = new Map(a.ratings.map((r) => [r.raterId, r.status]));
    const repair = new Map(a.ruptureStatus.map((r) => [r.ruptureId, r.status]));
    for (const s of a.segments) {
      const r = raters.get(s.raterId);
      lines.push(
        [
          code,
          session.number,
          session.date,
          r?.name,
          r?.role,
          status.get(s.raterId) ?? 'draft',
          s.id,
          s.kind,
          s.kind === 'comment' ? '' : s.codes.join(';'),
          s.ruptureType,
          (s.startMs / 1000).toFixed(3),
          (s.endMs / 1000).toFixed(3),
          ((s.endMs - s.startMs) / 1000).toFixed(3),
          s.rating,
          s.stage,
          s.kind === 'rupture' ? (repair.get(s.id) ?? 'unrepaired') : '',
          s.linkedRuptureIds.join(';'),
          names ? s.origin?.file : '',
          names ? s.origin?.tier : '',
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Presence of each code (and of any rupture / any repair) per unit, rater and session. */
export function studyUnitsCsv(core: StudyExportDeps, unitMs: number, caseCode?: string, names = false): string {
  const lines: string[] = [STUDY_UNIT_COLUMNS.join(',')];
  // Raters by pseudonym (R and their number) unless names are asked for.
  const raters = new Map(privateRaters(core.annotations.raters(), privacy({ names })).map((r) => [r.id, r]));
  const codebook = core.annotations.codebook().definition;
  const codeKeys = codebook.codes.filter((c) => c.category !== 'intervention').map((c) => c.key.toUpperCase());
  for (const { caseCode: code, session } of sessionsOf(core, caseCode)) {
    const a = core.annotations.list(session.id);
    const duration = core.annotations.sessionDurationMs(session.id);
    if (duration === 0) continue;
    const units = Math.ceil(duration / unitMs);
    const status = new Map(a.ratings.map((r) => [r.raterId, r.status]));
    const byRater = new Map<number, Segment[]>();
    for (const s of a.segments)
      if (s.kind !== 'comment') byRater.set(s.raterId, [...(byRater.get(s.raterId) ?? []), s]);
    const raterIds = new Set([...a.ratings.map((r) => r.raterId), ...byRater.keys()]);
    for (const raterId of raterIds) {
      const r = raters.get(raterId);
      const segs = byRater.get(raterId) ?? [];
      const extra = [...new Set(segs.flatMap((s) => s.codes))].filter((k) => !codeKeys.includes(k));
      const keys = ['ANY_RUPTURE', 'ANY_REPAIR', ...codeKeys, ...extra];
      const present = new Map(keys.map((k) => [k, new Uint8Array(units)]));
      for (const s of segs) {
        // The agreement's own rule (a unit's midpoint inside [start, end); a point in its unit),
        // so kappa computed from this file is the app's.
        const [first, last] = unitsOf(s.startMs, s.endMs, unitMs);
        for (const k of [s.kind === 'rupture' ? 'ANY_RUPTURE' : 'ANY_REPAIR', ...s.codes]) {
          const row = present.get(k);
          if (!row) continue;
          for (let u = Math.max(0, first); u <= Math.min(units - 1, last); u++) row[u] = 1;
        }
      }
      const prefix = [code, session.number, r?.name, r?.role, status.get(raterId) ?? 'draft'].map(cell).join(',');
      for (let u = 0; u < units; u++) {
        const us = ((u * unitMs) / 1000).toFixed(3);
        const ue = (Math.min(duration, (u + 1) * unitMs) / 1000).toFixed(3);
        for (const k of keys) lines.push(`${prefix},${u},${us},${ue},${k},${present.get(k)![u]}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
