/**
 * BORIS: projects (.boris, JSON) and the events exports BORIS 6–8 write (aggregated events and
 * tabular events, TSV or CSV). Columns are matched by BORIS's exact names ("Start (s)", "Stop (s)",
 * "Behavior type", "Modifier #1", …), never by a prefix. State events are paired START/STOP per
 * observation, subject and behaviour; point events are kept as points. A tier is one observation
 * (and subject, when there is one), its values the behaviour codes.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '../../shared/errors';
import { separatorOf } from '../../shared/csv';
import { baseName, secondsToMs, type ForeignAnnotation, type ForeignDocument, type ForeignTier } from './foreign';

const NO_SUBJECT = new Set(['', 'no focal subject', 'na']);

function tierName(observation: string, subject: string): string {
  return NO_SUBJECT.has(subject.trim().toLowerCase()) ? observation : `${observation} / ${subject}`;
}

class Tiers {
  private readonly map = new Map<string, ForeignTier>();
  get(observation: string, subject: string): ForeignTier {
    const name = tierName(observation, subject);
    let t = this.map.get(name);
    if (!t) {
      t = {
        name,
        observation,
        participant: NO_SUBJECT.has(subject.trim().toLowerCase()) ? undefined : subject,
        hint: 'coding',
        annotations: [],
      };
      this.map.set(name, t);
    }
    return t;
  }
  list(): ForeignTier[] {
    const out = [...this.map.values()];
    for (const t of out) t.annotations.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
    return out;
  }
}

interface RawEvent {
  observation: string;
  subject: string;
  behavior: string;
  timeMs: number;
  /** START, STOP, POINT, or null when the project's ethogram decides. */
  status: 'START' | 'STOP' | 'POINT' | null;
  modifiers: string[];
  comment: string;
  at: string;
}

/** Pairs state events (START/STOP, or alternating when the file has no status) into spans. */
function pairEvents(events: RawEvent[], isState: (behavior: string) => boolean, doc: ForeignDocument, tiers: Tiers) {
  const open = new Map<string, RawEvent>();
  for (const e of events) {
    const tier = tiers.get(e.observation, e.subject);
    const point = e.status === 'POINT' || (e.status === null && !isState(e.behavior));
    const base: Omit<ForeignAnnotation, 'startMs' | 'endMs'> = {
      value: e.behavior,
      at: e.at,
      subject: NO_SUBJECT.has(e.subject.trim().toLowerCase()) ? undefined : e.subject,
      modifiers: e.modifiers.length ? e.modifiers : undefined,
      comment: e.comment || undefined,
    };
    if (point) {
      tier.annotations.push({ ...base, startMs: e.timeMs, endMs: e.timeMs });
      continue;
    }
    const key = `${e.observation}\u0000${e.subject}\u0000${e.behavior}`;
    const started = open.get(key);
    const isStop = e.status === 'STOP' || (e.status === null && started !== undefined);
    if (!isStop) {
      if (started)
        doc.rejected.push({ at: started.at, reason: `"${e.behavior}" starts again at ${e.at} before it stopped.` });
      open.set(key, e);
      continue;
    }
    if (!started) {
      doc.rejected.push({ at: e.at, reason: `"${e.behavior}" stops without having started.` });
      continue;
    }
    open.delete(key);
    tier.annotations.push({
      ...base,
      at: started.at,
      modifiers: started.modifiers.length ? started.modifiers : base.modifiers,
      comment: [started.comment, e.comment].filter(Boolean).join(' / ') || undefined,
      startMs: started.timeMs,
      endMs: e.timeMs,
    });
  }
  for (const e of open.values())
    doc.rejected.push({ at: e.at, reason: `state event "${e.behavior}" starts but never stops (not paired).` });
}

// ---------------------------------------------------------------------------------- projects

export function readBorisProject(text: string): ForeignDocument {
  let pj: Record<string, unknown>;
  try {
    pj = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (error) {
    throw new AppError('INVALID_INPUT', `This BORIS project is not valid JSON (${(error as Error).message}).`);
  }
  const doc: ForeignDocument = {
    format: 'boris-project',
    tiers: [],
    media: [],
    warnings: [],
    rejected: [],
    observations: [],
  };
  const behaviors = Object.values((pj.behaviors_conf ?? {}) as Record<string, Record<string, unknown>>);
  const stateCodes = new Set(
    behaviors
      .filter((b) =>
        String(b.type ?? '')
          .toLowerCase()
          .includes('state'),
      )
      .map((b) => String(b.code)),
  );
  const ethogram = behaviors.map((b) => String(b.code));
  // Behaviours of the category "comment" are comments (their text the event's comment), and a
  // behaviour whose modifier set is named "significance" carries a rating 1–5 (as we write them).
  doc.commentValues = behaviors
    .filter((b) => String(b.category ?? '').toLowerCase() === 'comment')
    .map((b) => String(b.code));
  const withSignificance = new Set(
    behaviors
      .filter((b) =>
        Object.values((b.modifiers ?? {}) as Record<string, { name?: string }>).some(
          (m) => String(m?.name ?? '').toLowerCase() === 'significance',
        ),
      )
      .map((b) => String(b.code)),
  );
  // Who rated an observation: its independent variable "rater" (or "coder", "observer").
  const raterOf = new Map<string, string>();
  const observations = (pj.observations ?? {}) as Record<string, Record<string, unknown>>;
  const tiers = new Tiers();
  const events: RawEvent[] = [];
  for (const [obsId, obs] of Object.entries(observations)) {
    doc.observations!.push(obsId);
    const variables = (obs.independent_variables ?? {}) as Record<string, unknown>;
    const named = Object.entries(variables).find(
      ([k, v]) => /^(rater|coder|observer)$/i.test(k) && String(v ?? '').trim(),
    );
    if (named) raterOf.set(obsId, String(named[1]).trim());
    const offsetS = Number(obs['time offset'] ?? 0) || 0;
    const files = (obs.file ?? {}) as Record<string, string[]>;
    const mediaOffsets = ((obs.media_info as Record<string, unknown> | undefined)?.offset ?? {}) as Record<
      string,
      number
    >;
    // BORIS's rules (core.py: the time shown and stored is player 1's media time plus the
    // observation's "time offset"; sync_time: player n is at that time minus its media offset).
    // So an event at t lies at t − time offset on player 1's media (events are read so, below),
    // and at t − time offset − offset[n] on player n's. Per observation: each has its own.
    for (const [player, list] of Object.entries(files))
      for (const f of list ?? [])
        if (!doc.media.some((m) => m.name === baseName(f) && m.observation === obsId))
          doc.media.push({
            name: baseName(f),
            url: f,
            originMs: -Math.round((Number(mediaOffsets[player] ?? 0) || 0) * 1000),
            observation: obsId,
          });
    const list = (obs.events ?? []) as unknown[][];
    list.forEach((ev, i) => {
      const [time, subject, code, modifier, comment] = ev;
      const t = Number(time);
      const at = `observation "${obsId}", event ${i + 1}`;
      if (!Number.isFinite(t))
        return void doc.rejected.push({ at, reason: `its time "${String(time)}" is not a number.` });
      events.push({
        observation: obsId,
        subject: String(subject ?? ''),
        behavior: String(code ?? ''),
        timeMs: Math.round((t - offsetS) * 1000),
        status: null,
        modifiers: String(modifier ?? '')
          .split('|')
          .map((m) => m.trim())
          .filter(Boolean),
        comment: String(comment ?? ''),
        at,
      });
    });
  }
  // BORIS stores each observation's events in time order; pair within each stream.
  events.sort((a, b) => (a.observation < b.observation ? -1 : a.observation > b.observation ? 1 : a.timeMs - b.timeMs));
  pairEvents(events, (b) => stateCodes.has(b), doc, tiers);
  doc.tiers = tiers.list();
  for (const t of doc.tiers) {
    t.vocabulary = ethogram;
    if (t.observation && raterOf.has(t.observation)) t.annotator = raterOf.get(t.observation);
    for (const a of t.annotations)
      if (withSignificance.has(a.value) && /^[1-5]$/.test(a.modifiers?.[0] ?? '')) a.significance = a.modifiers![0];
  }
  if (!doc.observations!.length) doc.warnings.push('The project has no observations.');
  return doc;
}

// ----------------------------------------------------------------------------------- exports

function table(text: string): { delimiter: string; rows: string[][] } {
  const clean = text.replace(/^\uFEFF/, '');
  // The one separator rule of the app's CSV readers (tab, semicolon, comma, from the first line).
  const delimiter = separatorOf(clean);
  try {
    const rows = parse(clean, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      quote: '"',
    }) as string[][];
    return { delimiter, rows };
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `This BORIS export could not be read as a table (${(error as Error).message}).`,
    );
  }
}

/** Index of the row that holds the events table's header, and the columns by exact name. */
function headerRow(
  rows: string[][],
): { index: number; col: (name: string) => number; names: string[]; headerless?: boolean } | null {
  for (let i = 0; i < Math.min(rows.length, 60); i++) {
    const names = rows[i]!.map((c) => c.trim());
    if (names.includes('Behavior') && (names.includes('Start (s)') || names.includes('Time'))) {
      return { index: i, col: (n: string) => names.indexOf(n), names };
    }
  }
  return headerlessAggregated(rows);
}

/**
 * BORIS's aggregated events without their header line (as BORIS's own tests keep them, or a
 * header deleted by hand): known by their shape over every row, never by one number — the same
 * column holds STATE or POINT in every row, followed by Start (s) and Stop (s) (NA for a point),
 * with Modifiers, Behavioral category, Behavior and Subject before it and the observation first,
 * in BORIS's column order.
 */
function headerlessAggregated(
  rows: string[][],
): { index: number; col: (name: string) => number; names: string[]; headerless: true } | null {
  const body = rows.filter((r) => r.some((c) => c.trim() !== ''));
  if (!body.length) return null;
  const first = body[0]!.map((c) => c.trim());
  const number = (c: string | undefined) => /^\d+(\.\d+)?$/.test((c ?? '').trim());
  for (let k = 4; k < first.length - 2; k++) {
    const fits = body.every((r) => {
      const type = (r[k] ?? '').trim();
      return (
        (type === 'STATE' || type === 'POINT') &&
        number(r[k + 1]) &&
        (number(r[k + 2]) || (r[k + 2] ?? '').trim() === 'NA')
      );
    });
    if (!fits) continue;
    const names = first.map(() => '');
    names[0] = 'Observation id';
    names[k - 4] = 'Subject';
    names[k - 3] = 'Behavior';
    names[k - 2] = 'Behavioral category';
    names[k - 1] = 'Modifiers';
    names[k] = 'Behavior type';
    names[k + 1] = 'Start (s)';
    names[k + 2] = 'Stop (s)';
    if (k + 3 < names.length) names[k + 3] = 'Duration (s)';
    if (k + 4 < names.length) names[k + 4] = 'Comment start';
    if (k + 5 < names.length) names[k + 5] = 'Comment stop';
    return { index: -1, col: (n: string) => names.indexOf(n), names, headerless: true };
  }
  return null;
}

export function isBorisExport(text: string): 'boris-aggregated' | 'boris-tabular' | null {
  const head = text.slice(0, 20_000);
  if (!/\bBehavior\b/.test(head) && !/\t(STATE|POINT)\t/.test(head)) return null;
  const { rows } = table(head.slice(0, head.lastIndexOf('\n') > 0 ? head.lastIndexOf('\n') : head.length));
  const h = headerRow(rows);
  if (!h) return null;
  return h.names.includes('Start (s)') ? 'boris-aggregated' : 'boris-tabular';
}

export function readBorisExport(text: string): ForeignDocument {
  const { rows } = table(text);
  const h = headerRow(rows);
  if (!h)
    throw new AppError(
      'INVALID_INPUT',
      'This looks like a BORIS export, but no header with "Behavior" and "Start (s)" (aggregated) or "Time" (tabular) was found.',
    );
  const aggregated = h.names.includes('Start (s)');
  const doc: ForeignDocument = {
    format: aggregated ? 'boris-aggregated' : 'boris-tabular',
    tiers: [],
    media: [],
    warnings: [],
    rejected: [],
    observations: [],
  };
  if (h.headerless)
    doc.warnings.push(
      'No header line: read as BORIS aggregated events by the shape of every row (the column of STATE or POINT, with Start (s) and Stop (s) after it, in BORIS’s column order).',
    );
  // Older tabular exports put "Observation id<TAB>name" above the table.
  let blockObservation = '';
  for (const r of rows.slice(0, Math.max(0, h.index)))
    if (r[0]?.trim() === 'Observation id') blockObservation = r[1]?.trim() ?? '';
  const cObs = h.col('Observation id');
  const cSubject = h.col('Subject');
  const cBehavior = h.col('Behavior');
  const cType = h.col('Behavior type');
  const cStatus = h.col('Status');
  const cStart = h.col('Start (s)');
  const cStop = h.col('Stop (s)');
  const cTime = h.col('Time');
  const cModifiers = h.col('Modifiers');
  const cModifierN = h.names.map((n, i) => (/^Modifier #\d+$/.test(n) ? i : -1)).filter((i) => i >= 0);
  const cComment = aggregated ? h.col('Comment start') : h.col('Comment');
  const cCommentStop = h.col('Comment stop');
  const cMedia = [h.col('Media file name'), h.col('Media file'), h.col('Media file path')].find((c) => c >= 0) ?? -1;
  const cOffset = h.col('Time offset (s)');
  const tiers = new Tiers();
  const events: RawEvent[] = [];
  const seenMedia = new Set<string>();
  rows.slice(h.index + 1).forEach((r, i) => {
    const line = h.index + i + 2;
    if (r.every((c) => c.trim() === '')) return;
    const at = `line ${line}`;
    const observation = (cObs >= 0 ? r[cObs]?.trim() : blockObservation) || blockObservation || 'observation';
    if (!doc.observations!.includes(observation)) doc.observations!.push(observation);
    const subject = cSubject >= 0 ? (r[cSubject] ?? '').trim() : '';
    const behavior = (r[cBehavior] ?? '').trim();
    if (!behavior) return void doc.rejected.push({ at, reason: 'the Behavior cell is empty.' });
    const modifiers = [
      ...(cModifiers >= 0 ? (r[cModifiers] ?? '').split('|') : []),
      ...cModifierN.map((c) => r[c] ?? ''),
    ]
      .map((m) => m.trim())
      .filter((m) => m && m !== 'None');
    const media = cMedia >= 0 ? (r[cMedia] ?? '').trim() : '';
    if (media && media !== 'NA' && !seenMedia.has(media)) {
      seenMedia.add(media);
      const off = cOffset >= 0 ? Number(r[cOffset]) : 0;
      doc.media.push({ name: baseName(media), originMs: 0 - Math.round((Number.isFinite(off) ? off : 0) * 1000) });
    }
    if (aggregated) {
      const s = secondsToMs(r[cStart]);
      const type = cType >= 0 ? (r[cType] ?? '').trim().toUpperCase() : '';
      const stopCell = cStop >= 0 ? (r[cStop] ?? '').trim() : '';
      const e = type === 'POINT' || stopCell === '' || stopCell === 'NA' ? s : secondsToMs(stopCell);
      if (s === null)
        return void doc.rejected.push({ at, reason: `Start (s) "${r[cStart] ?? ''}" is not a time in seconds.` });
      if (e === null) return void doc.rejected.push({ at, reason: `Stop (s) "${stopCell}" is not a time in seconds.` });
      if (e < s) return void doc.rejected.push({ at, reason: 'Stop (s) comes before Start (s).' });
      const comment = [cComment >= 0 ? r[cComment] : '', cCommentStop >= 0 ? r[cCommentStop] : '']
        .map((c) => (c ?? '').trim())
        .filter(Boolean)
        .join(' / ');
      tiers.get(observation, subject).annotations.push({
        startMs: s,
        endMs: e,
        value: behavior,
        at,
        subject: NO_SUBJECT.has(subject.toLowerCase()) ? undefined : subject,
        modifiers: modifiers.length ? modifiers : undefined,
        comment: comment || undefined,
      });
      return;
    }
    const t = secondsToMs(r[cTime]);
    if (t === null) return void doc.rejected.push({ at, reason: `Time "${r[cTime] ?? ''}" is not a time in seconds.` });
    // BORIS 8 writes START/STOP/POINT under "Behavior type"; BORIS 6–7 under "Status".
    const raw = ((cStatus >= 0 ? r[cStatus] : cType >= 0 ? r[cType] : '') ?? '').trim().toUpperCase();
    const status = raw === 'START' || raw === 'STOP' || raw === 'POINT' ? raw : null;
    if (status === null)
      return void doc.rejected.push({ at, reason: `the status "${raw}" is not START, STOP or POINT.` });
    events.push({
      observation,
      subject,
      behavior,
      timeMs: t,
      status,
      modifiers,
      comment: cComment >= 0 ? (r[cComment] ?? '').trim() : '',
      at,
    });
  });
  if (!aggregated) pairEvents(events, () => true, doc, tiers);
  doc.tiers = tiers.list();
  return doc;
}
