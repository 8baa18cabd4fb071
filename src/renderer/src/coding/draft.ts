import type { Segment } from '../../../shared/annotations';

/** What the form edits: a segment's own fields, for an existing segment (`id`) or a new one (null). */
export type Draft = { id: number | null } & Pick<
  Segment,
  | 'kind'
  | 'startMs'
  | 'endMs'
  | 'ruptureType'
  | 'codes'
  | 'rating'
  | 'stage'
  | 'tags'
  | 'note'
  | 'linkedRuptureIds'
  | 'resolved'
> & { origin?: Segment['origin'] };

export function draftFrom(s: Segment): Draft {
  return { ...s, id: s.id };
}

/** What an edit through the form stores of a draft (each kind keeps only its own fields). */
export function editFields(d: Draft) {
  return {
    startMs: d.startMs,
    endMs: d.endMs,
    codes: d.codes,
    rating: d.kind === 'comment' ? null : d.rating,
    stage: d.kind === 'repair' ? d.stage : null,
    tags: d.tags,
    note: d.note,
    ruptureType: d.kind === 'rupture' ? d.ruptureType : null,
  };
}
