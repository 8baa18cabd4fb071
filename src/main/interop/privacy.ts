/**
 * What an export lets leave the machine. Pseudonymous unless asked: no therapist name, raters by
 * a stable pseudonym (R and their number in this library), recordings by number instead of their
 * file names (names often carry a client's name), no imported segments' source files, tiers or
 * participants, and no free text (notes, comments' words, feedback) unless `notes` is asked for.
 */
import path from 'node:path';
import type { Rater, Segment } from '../../shared/annotations';

export interface ExportPrivacy {
  /** Therapist, rater and file names. */
  names: boolean;
  /** Free text: session notes, segment notes and comments, feedback. */
  notes: boolean;
}

export function privacy(p?: Partial<ExportPrivacy>): ExportPrivacy {
  return { names: p?.names ?? false, notes: p?.notes ?? false };
}

export const raterAlias = (r: Pick<Rater, 'id' | 'name'>, p: ExportPrivacy) => (p.names ? r.name : `R${r.id}`);

export const raters = <R extends Pick<Rater, 'id' | 'name'>>(list: R[], p: ExportPrivacy): R[] =>
  p.names ? list : list.map((r) => ({ ...r, name: raterAlias(r, p) }));

export const fileAlias = (r: { id: number; fileName: string }, p: ExportPrivacy) =>
  p.names ? r.fileName : `recording-${r.id}${path.extname(r.fileName).toLowerCase()}`;

/** Segments as an export shows them: notes only when asked, imported sources only with names. */
export const segments = (list: Segment[], p: ExportPrivacy): Segment[] =>
  p.notes && p.names
    ? list
    : list.map((s) => ({ ...s, note: p.notes ? s.note : '', origin: p.names ? s.origin : null }));

export { describePrivacy } from '../../shared/privacy';
