/** The session summary: ruptures by type and marker, rupture time, share repaired, time to repair. */
import type { RuptureType, Segment, SessionSummary } from '../../shared/annotations';
import { median, ruptureStatuses, unionLength } from '../../shared/annotation-logic';

/** Summarises `segments` (already filtered to what the viewer may see, and to one rater if asked). */
export function summarize(sessionId: number, raterId: number | null, all: Segment[]): SessionSummary {
  const segs = raterId === null ? all : all.filter((s) => s.raterId === raterId);
  const ruptures = segs.filter((s) => s.kind === 'rupture');
  const statuses = new Map(ruptureStatuses(segs).map((s) => [s.ruptureId, s]));
  const byType: Record<RuptureType, number> = { withdrawal: 0, confrontation: 0, both: 0 };
  const byMarker: Record<string, number> = {};
  for (const r of ruptures) {
    if (r.ruptureType) byType[r.ruptureType]++;
    for (const c of r.codes) byMarker[c] = (byMarker[c] ?? 0) + 1;
  }
  const times = ruptures
    .map((r) => statuses.get(r.id)?.msToFirstRepair)
    .filter((x): x is number => x !== null && x !== undefined);
  const score = ruptures.reduce((a, r) => {
    const st = statuses.get(r.id)?.status;
    return a + (st === 'repaired' ? 1 : st === 'partly' ? 0.5 : 0);
  }, 0);
  const statusCounts = { repaired: 0, partly: 0, unrepaired: 0 };
  for (const r of ruptures) statusCounts[statuses.get(r.id)?.status ?? 'unrepaired']++;
  const comments = segs.filter((s) => s.kind === 'comment');
  return {
    sessionId,
    raterId,
    ruptures: ruptures.length,
    byType,
    byMarker,
    repairs: segs.filter((s) => s.kind === 'repair').length,
    comments: comments.length,
    unresolvedComments: comments.filter((c) => !c.resolved).length,
    totalRuptureMs: unionLength(ruptures),
    shareRepaired: ruptures.length ? score / ruptures.length : null,
    repairStatusCounts: statusCounts,
    medianMsToRepair: median(times),
    unrepaired: ruptures
      .filter((r) => statuses.get(r.id)?.status === 'unrepaired')
      .map((r) => ({ id: r.id, startMs: r.startMs, endMs: r.endMs, codes: r.codes })),
  };
}
