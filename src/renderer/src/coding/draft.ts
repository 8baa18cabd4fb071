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
