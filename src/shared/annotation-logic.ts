/** Derived facts about segments, shared by the core and the renderer (pure, no I/O). */
import type { RuptureStatus, RuptureType, Segment } from './annotations';
import type { CodebookDefinition } from './codebook';

/**
 * A rupture is repaired when a linked repair was rated 4–5 for resolution (or unrated: the rater
 * judged it repaired by linking), partly when its best linked repair was rated 1–3, unrepaired
 * without a linked repair.
 */
export function ruptureStatuses(
  segments: Pick<Segment, 'id' | 'kind' | 'startMs' | 'rating' | 'linkedRuptureIds'>[],
): RuptureStatus[] {
  // One pass to gather each rupture's repairs, one to judge them (runs on every edit: linear, no
  // copying of arrays per repair).
  const repairsOf = new Map<number, Pick<Segment, 'id' | 'kind' | 'startMs' | 'rating' | 'linkedRuptureIds'>[]>();
  for (const s of segments) {
    if (s.kind !== 'repair') continue;
    for (const r of s.linkedRuptureIds) {
      const list = repairsOf.get(r);
      if (list) list.push(s);
      else repairsOf.set(r, [s]);
    }
  }
  const out: RuptureStatus[] = [];
  for (const r of segments) {
    if (r.kind !== 'rupture') continue;
    const repairs = repairsOf.get(r.id);
    if (!repairs) {
      out.push({ ruptureId: r.id, status: 'unrepaired', repairIds: [], msToFirstRepair: null });
      continue;
    }
    if (repairs.length > 1) repairs.sort((a, b) => a.startMs - b.startMs);
    let best = 0;
    for (const p of repairs) best = Math.max(best, p.rating ?? 5);
    out.push({
      ruptureId: r.id,
      status: best >= 4 ? 'repaired' : 'partly',
      repairIds: repairs.map((p) => p.id),
      msToFirstRepair: Math.max(0, repairs[0]!.startMs - r.startMs),
    });
  }
  return out;
}

/** Total time covered by spans, counting overlaps once. */
export function unionLength(spans: { startMs: number; endMs: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let curStart = -1;
  let curEnd = -1;
  for (const s of sorted) {
    if (s.startMs > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s.startMs;
      curEnd = s.endMs;
    } else curEnd = Math.max(curEnd, s.endMs);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The rupture type its markers imply: withdrawal, confrontation, both, or null without markers. */
export function inferRuptureType(codes: string[], codebook: CodebookDefinition): RuptureType | null {
  const cats = new Set(
    codes.map((k) => codebook.codes.find((c) => c.key.toUpperCase() === k.trim().toUpperCase())?.category),
  );
  if (cats.has('withdrawal') && cats.has('confrontation')) return 'both';
  if (cats.has('withdrawal')) return 'withdrawal';
  if (cats.has('confrontation')) return 'confrontation';
  return null;
}
