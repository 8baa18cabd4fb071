/**
 * Where a bench's time went, for the PROFILE= and TRACE= diagnostics (printed on stderr): the
 * heaviest functions of a CPU profile (self time), and trace events summed by thread and name.
 */
/** The parts of a DevTools CPU profile (`Profiler.stop`) read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

export function heaviestFunctions(profile: CpuProfile, top = 25): string {
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  (profile.samples ?? []).forEach((id, i) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${v.toFixed(1)}ms ${k}`)
    .join('\n');
}

export function traceSums(trace: Buffer, top = 30): string {
  const events = (
    JSON.parse(trace.toString()) as { traceEvents: { name: string; dur?: number; ph: string; tid: number }[] }
  ).traceEvents;
  const sums = new Map<string, number>();
  for (const e of events)
    if (e.ph === 'X' && e.dur) sums.set(`${e.tid} ${e.name}`, (sums.get(`${e.tid} ${e.name}`) ?? 0) + e.dur / 1000);
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${v.toFixed(1)}ms ${k}`)
    .join('\n');
}
