import type { Segment } from './annotations';

/** A segment for the tests (coding, interop): rater 1's, in session 1, with `more` on top. */
export function seg(
  id: number,
  kind: Segment['kind'],
  startMs: number,
  endMs: number,
  more: Partial<Segment> = {},
): Segment {
  return {
    id,
    sessionId: 1,
    raterId: 1,
    kind,
    startMs,
    endMs,
    codebookVersionId: 1,
    ruptureType: null,
    codes: [],
    rating: null,
    stage: null,
    tags: [],
    note: '',
    resolved: false,
    linkedRuptureIds: [],
    sources: [],
    ...more,
  };
}
