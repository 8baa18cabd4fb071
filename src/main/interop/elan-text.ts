/**
 * ELAN's "Export > Tab-delimited Text", in the layouts ELAN really writes:
 *
 * - one annotation per line: [tier name] [participant] [annotator] begin… end… duration… value,
 *   where each of begin, end and duration may appear as hh:mm:ss.ms, ss.msec, msec and
 *   hh:mm:ss:ff columns, in that order, all begins first, then all ends, then all durations;
 * - with a header line ("Begin Time - hh:mm:ss.ms", …) or without (then the column shapes decide:
 *   `00:01:02.500` is a clock, `62.500` seconds with ELAN's three decimals, `62500` milliseconds;
 *   seconds are never guessed from milliseconds);
 * - one column per tier (a header naming the tiers after the time columns);
 * - `#` lines before the table naming the media file and its offset.
 */
import { clockToMs, type ForeignDocument, type ForeignTier } from './foreign';

type Unit = 'clock' | 'seconds' | 'msec' | 'frames';
type Role = 'begin' | 'end' | 'duration';

const HEADER_TIME = /^(begin|start|end|stop|duration)\s*time\s*-\s*(.+)$|^(begin|end|duration)\s*-\s*(.+)$/i;

function unitOfHeader(suffix: string): Unit | null {
  const s = suffix.trim().toLowerCase();
  if (s === 'hh:mm:ss.ms' || s === 'hh:mm:ss.mmm') return 'clock';
  if (s === 'ss.msec' || s === 'ss.ms' || s === 's') return 'seconds';
  if (s === 'msec' || s === 'ms') return 'msec';
  if (s.startsWith('hh:mm:ss:ff')) return 'frames';
  return null;
}

function shapeOf(cell: string): Unit | 'text' | 'empty' {
  const t = cell.trim();
  if (t === '') return 'empty';
  if (/^\d+:\d{2}:\d{2}\.\d{1,3}$/.test(t)) return 'clock';
  if (/^\d+:\d{2}:\d{2}:\d{2}$/.test(t)) return 'frames';
  if (/^\d+\.\d{1,3}$/.test(t)) return 'seconds';
  if (/^\d+$/.test(t)) return 'msec';
  return 'text';
}

function toMs(cell: string | undefined, unit: Unit): number | null {
  const t = (cell ?? '').trim();
  if (t === '') return null;
  if (unit === 'clock') return clockToMs(t);
  if (unit === 'seconds') return /^\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 1000) : null;
  if (unit === 'msec') return /^\d+$/.test(t) ? Number(t) : null;
  return null; // frames need a frame rate the file does not give; another column is used
}

/**
 * ELAN writes tab-delimited values as they are, so a value "in quotes" keeps its quotes. Only a
 * file that quotes every non-empty cell (another program's, or ELAN's CSV option) is unquoted.
 */
function quotesEverything(lines: string[]): boolean {
  const cells = lines
    .filter((l) => l.trim() !== '' && !/^\s*"?#/.test(l))
    .slice(0, 50)
    .flatMap((l) => l.split('\t'))
    .filter((c) => c !== '');
  return cells.length > 0 && cells.every((c) => /^".*"$/s.test(c));
}

function splitLine(line: string, unquote: boolean): string[] {
  return line.split('\t').map((c) => (unquote && /^".*"$/s.test(c) ? c.slice(1, -1).replace(/""/g, '"') : c));
}

/**
 * A media header line, as ELAN's "Include media info header" writes it — quoted, the media URL
 * after "#", then " -- offset: N" (and, from a player, ", duration: …, ms per sample: …"):
 * `"#file:///C:/rec/session%201.mp4 -- offset: 2000, duration: 00:50:00.000 / 3000.000 / 3000000"`;
 * or an older, unquoted `# /path/media.wav offset 2000`. Undefined when the line is not one;
 * null when it is a comment that names no media file.
 */
function mediaHeader(line: string): { name: string; originMs: number } | null | undefined {
  let t = line.trim();
  if (t.startsWith('"#')) t = t.replace(/^"/, '').replace(/"\s*$/, '');
  if (!t.startsWith('#')) return undefined;
  const body = t.slice(1).replace(/\t/g, ' ').trim();
  const elan = /^(\S.*?)\s+--\s+offset:\s*(-?\d+)/i.exec(body);
  const old = /^(?:file:?\s*)?(\S+)(?:.*?\boffset[:=]?\s*(-?\d+))?/i.exec(body);
  const url = (elan?.[1] ?? old?.[1] ?? '').trim();
  let name = url.split(/[\\/]/).pop() ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // a literal "%" in a file name: keep it as written
  }
  if (!/\.[A-Za-z0-9]{2,4}$/.test(name)) return null;
  return { name, originMs: Number(elan?.[2] ?? old?.[2] ?? 0) };
}

/**
 * Without a header, which columns are ELAN's time block: the longest run of time-shaped columns,
 * less any leading ones that break the rules over every row (a begin never after its end, a
 * duration equal to end − begin), so a numeric participant ("2") is never read as a begin time.
 */
function timeBlock(
  rows: { cells: string[] }[],
  shapes: (Unit | 'text' | 'mixed')[],
): { columns: { role: Role; unit: Unit; index: number }[]; first: number; last: number; units: Unit[] } | null {
  const isTime = (s: string) => s === 'clock' || s === 'seconds' || s === 'msec' || s === 'frames';
  let best: [number, number] | null = null;
  for (let i = 0; i < shapes.length; i++) {
    if (!isTime(shapes[i]!)) continue;
    let j = i;
    while (j + 1 < shapes.length && isTime(shapes[j + 1]!)) j++;
    if (!best || j - i >= best[1] - best[0]) best = [i, j];
    i = j;
  }
  if (!best) return null;
  const assign = (from: number, to: number) => {
    const idx = Array.from({ length: to - from + 1 }, (_, k) => from + k);
    const units: Unit[] = [];
    for (const i of idx) if (!units.includes(shapes[i] as Unit)) units.push(shapes[i] as Unit);
    const roles: Role[] = ['begin', 'end', 'duration'];
    const columns = idx
      .map((index, k) => ({ role: roles[Math.floor(k / units.length)], unit: shapes[index] as Unit, index }))
      .filter((c): c is { role: Role; unit: Unit; index: number } => c.role !== undefined);
    return { columns, units };
  };
  const consistent = (columns: { role: Role; unit: Unit; index: number }[]) => {
    const of = (role: Role) => columns.find((c) => c.role === role && c.unit !== 'frames');
    const b = of('begin');
    const e = of('end');
    const d = of('duration');
    if (!b || (!e && !d)) return false;
    return rows.every((r) => {
      const s = toMs(r.cells[b.index], b.unit);
      const end = e ? toMs(r.cells[e.index], e.unit) : null;
      const dur = d ? toMs(r.cells[d.index], d.unit) : null;
      if (s === null) return false;
      if (end !== null && end < s) return false;
      if (end !== null && dur !== null && Math.abs(end - s - dur) > 1) return false;
      return true;
    });
  };
  for (let drop = 0; drop <= Math.min(2, best[1] - best[0]); drop++) {
    const { columns, units } = assign(best[0] + drop, best[1]);
    if (consistent(columns)) return { columns, first: best[0] + drop, last: best[1], units };
  }
  const { columns, units } = assign(best[0], best[1]);
  return { columns, first: best[0], last: best[1], units };
}

export function readElanText(text: string): ForeignDocument {
  const doc: ForeignDocument = { format: 'elan-text', tiers: [], media: [], warnings: [], rejected: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const unquote = quotesEverything(lines);
  const rows: { line: number; cells: string[] }[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    const header = mediaHeader(l);
    if (header !== undefined) {
      if (header) doc.media.push(header);
      return;
    }
    rows.push({ line: i + 1, cells: splitLine(l, unquote) });
  });
  if (rows.length === 0) return doc;

  const head = rows[0]!.cells.map((c) => c.trim());
  const isHeader = head.some((h) => HEADER_TIME.test(h)) || head.some((h) => /^(tier|tier name|annotation)$/i.test(h));
  const columns: { role: Role; unit: Unit; index: number }[] = [];
  let tierCol = -1;
  let participantCol = -1;
  let annotatorCol = -1;
  let valueCols: { index: number; tier: string | null }[] = [];
  let body = rows;
  if (isHeader) {
    body = rows.slice(1);
    head.forEach((h, index) => {
      const m = HEADER_TIME.exec(h);
      if (m) {
        const word = (m[1] ?? m[3] ?? '').toLowerCase();
        const role: Role = word === 'begin' || word === 'start' ? 'begin' : word === 'duration' ? 'duration' : 'end';
        const unit = unitOfHeader(m[2] ?? m[4] ?? '');
        if (unit) columns.push({ role, unit, index });
        return;
      }
      if (/^tier( name)?$/i.test(h)) tierCol = index;
      else if (/^participant$/i.test(h)) participantCol = index;
      else if (/^annotator$/i.test(h)) annotatorCol = index;
      else if (/^(annotation|annotation value|value)$/i.test(h)) valueCols.push({ index, tier: null });
      else if (h !== '') valueCols.push({ index, tier: h });
    });
    // A single unnamed value column after the times is the annotation even when its header is
    // the tier's name (ELAN writes the tier name there when "tier names" is unticked).
    if (valueCols.length === 1 && tierCol < 0) valueCols = [{ index: valueCols[0]!.index, tier: valueCols[0]!.tier }];
  } else {
    // No header: read the column shapes over the first rows.
    const width = Math.max(...rows.slice(0, 50).map((r) => r.cells.length));
    const shapes: (Unit | 'text' | 'mixed')[] = [];
    for (let c = 0; c < width; c++) {
      const seen = new Set(
        rows
          .slice(0, 200)
          .map((r) => shapeOf(r.cells[c] ?? ''))
          .filter((s) => s !== 'empty'),
      );
      // An integer column can also be a seconds column whose values all happened to be whole
      // (ELAN always writes three decimals, so that is another program's file): prefer seconds.
      if (seen.size === 2 && seen.has('seconds') && seen.has('msec')) shapes.push('seconds');
      else shapes.push(seen.size === 1 ? [...seen][0]! : seen.size === 0 ? 'text' : 'mixed');
    }
    const block = timeBlock(rows, shapes);
    if (!block) {
      doc.rejected.push({
        at: `line ${rows[0]!.line}`,
        reason: 'no begin and end times found (no column looks like a time).',
      });
      return doc;
    }
    columns.push(...block.columns);
    if ((block.last - block.first + 1) % block.units.length !== 0)
      doc.warnings.push('The time columns do not come in whole begin/end/duration groups; the first ones were used.');
    // Before the times: tier, participant, annotator (as ELAN orders them), whatever their shape.
    const textBefore = [...Array(block.first).keys()];
    if (textBefore.length >= 1) tierCol = textBefore[0]!;
    if (textBefore.length >= 2) participantCol = textBefore[1]!;
    if (textBefore.length >= 3) annotatorCol = textBefore[2]!;
    for (let c = block.last + 1; c < width; c++) valueCols.push({ index: c, tier: null });
    if (valueCols.length === 0) valueCols.push({ index: width - 1, tier: null });
    doc.warnings.push(
      `No header line: columns were read by their shapes (${columns.map((c) => `${c.role} ${c.unit}`).join(', ')}).`,
    );
  }
  const pick = (role: Role) =>
    columns
      .filter((c) => c.role === role && c.unit !== 'frames')
      .sort((a, b) => ['msec', 'seconds', 'clock'].indexOf(a.unit) - ['msec', 'seconds', 'clock'].indexOf(b.unit))[0];
  const begin = pick('begin');
  const end = pick('end');
  const duration = pick('duration');
  if (!begin || (!end && !duration)) {
    doc.rejected.push({
      at: `line ${rows[0]!.line}`,
      reason: begin
        ? 'there is a begin time but no end time or duration column.'
        : columns.some((c) => c.unit === 'frames')
          ? 'only hh:mm:ss:ff (frame) times were exported; export again with ss.msec or msec ticked.'
          : 'no begin time column found.',
    });
    return doc;
  }

  const tiers = new Map<string, ForeignTier>();
  const tierOf = (name: string, participant?: string, annotator?: string) => {
    let t = tiers.get(name);
    if (!t) {
      t = { name, participant: participant || undefined, annotator: annotator || undefined, annotations: [] };
      tiers.set(name, t);
    }
    return t;
  };
  for (const r of body) {
    const at = `line ${r.line}`;
    const s = toMs(r.cells[begin.index], begin.unit);
    let e = end ? toMs(r.cells[end.index], end.unit) : null;
    if (e === null && duration && s !== null) {
      const d = toMs(r.cells[duration.index], duration.unit);
      e = d === null ? null : s + d;
    }
    if (s === null || e === null) {
      doc.rejected.push({
        at,
        reason: `"${(r.cells[begin.index] ?? '').trim()}" / "${end ? (r.cells[end.index] ?? '').trim() : ''}" are not ${begin.unit === 'clock' ? 'hh:mm:ss.ms' : begin.unit === 'seconds' ? 'ss.msec' : 'msec'} times.`,
      });
      continue;
    }
    if (e < s) {
      doc.rejected.push({ at, reason: 'the end comes before the begin.' });
      continue;
    }
    for (const vc of valueCols) {
      const value = (r.cells[vc.index] ?? '').trim();
      if (vc.tier !== null && value === '') continue; // one-column-per-tier: empty cell, no annotation
      const name = vc.tier ?? (tierCol >= 0 ? (r.cells[tierCol] ?? '').trim() : '') ?? '';
      const tier = tierOf(
        name || 'annotations',
        participantCol >= 0 ? r.cells[participantCol]?.trim() : undefined,
        annotatorCol >= 0 ? r.cells[annotatorCol]?.trim() : undefined,
      );
      tier.annotations.push({ startMs: s, endMs: e, value, at });
    }
  }
  doc.tiers = [...tiers.values()];
  return doc;
}
