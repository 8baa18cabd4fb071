/**
 * The supervision report as one self-contained HTML page (inline CSS and SVG, no scripts, no
 * external resources), laid out for A4 print. Every value from the library is escaped.
 */
import type { RuptureType, Segment } from '../../shared/annotations';
import { formatDuration, formatTime } from '../../shared/time';
import type { ReportData } from './report';
import { count } from '../../shared/words';

export const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Okabe–Ito: withdrawal blue, confrontation vermillion, both reddish purple, repairs green. */
const TYPE_COLOR: Record<RuptureType | 'none', string> = {
  withdrawal: '#0072B2',
  confrontation: '#D55E00',
  both: '#CC79A7',
  none: '#888888',
};
const REPAIR = '#009E73';
const NEUTRAL = '#6B7280';

const t = (ms: number) => formatTime(ms, false);
const tms = (ms: number) => formatTime(ms);

export function reportHtml(d: ReportData): string {
  const label = new Map(d.raters.map((r) => [r.id, r.label]));
  const codeLabel = new Map(d.codes.map((c) => [c.key, c.label]));
  const status = new Map(d.statuses.map((s) => [s.ruptureId, s]));
  const byId = new Map(d.segments.map((s) => [s.id, s]));
  const stage = new Map(d.stages.map((s) => [s.key, s.label]));
  const title = `Supervision report · ${d.case.code} · session ${d.session.number}`;
  const ruptures = d.segments.filter((s) => s.kind === 'rupture').sort(byRaterThenTime(d));
  const sections = [
    cover(d, title),
    `<section><h2>Timeline</h2>${timeline(d)}<p class="legend">${legend()}</p></section>`,
    ruptures.length > SUMMARY_ABOVE
      ? ruptureSummary(d, ruptures, label, codeLabel, status)
      : ruptureTable(d, ruptures, label, codeLabel, status, byId, stage),
    feedbackSection(d),
    gridSection(d, label),
    talkSection(d),
    selfReportSection(d),
    agreementSection(d),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style></head>
<body><main class="report">${sections.join('\n')}</main></body></html>`;
}

/** Above this many ruptures the report summarises them instead of listing each (a research coding's size). */
export const SUMMARY_ABOVE = 1000;
/** How many noted ruptures the summary still lists one by one. */
const NOTED_LISTED = 60;

/**
 * Ruptures summarised, for a research group's coding (thousands per rater): per rater and marker
 * the count, mean significance, share repaired and the median time to the first repair; per
 * ten-minute stretch the count per rater; and the ruptures that carry a note. It says that it
 * summarises, and where every rupture is (the session's CSV or JSON export).
 */
function ruptureSummary(
  d: ReportData,
  ruptures: Segment[],
  label: Map<number, string>,
  codeLabel: Map<string, string>,
  status: Map<number, ReportData['statuses'][number]>,
): string {
  const median = (xs: number[]) => {
    if (!xs.length) return null;
    const v = [...xs].sort((a, b) => a - b);
    const m = Math.floor(v.length / 2);
    return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
  };
  const fmt = (x: number | null, digits = 1) => (x === null ? '–' : x.toFixed(digits));
  const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)} %` : '–');
  const raters = d.raters.filter((r) => ruptures.some((x) => x.raterId === r.id));
  const perRater = raters
    .map((rater) => {
      const own = ruptures.filter((x) => x.raterId === rater.id);
      const byCode = new Map<string, Segment[]>();
      for (const r of own) {
        const key = r.codes.join('+') || '(no marker)';
        const list = byCode.get(key);
        if (list) list.push(r);
        else byCode.set(key, [r]);
      }
      const row = (name: string, list: Segment[]) => {
        const rated = list.filter((x) => x.rating !== null).map((x) => x.rating!);
        const repaired = list.filter((x) => status.get(x.id)?.status === 'repaired').length;
        const partly = list.filter((x) => status.get(x.id)?.status === 'partly').length;
        const toRepair = list.map((x) => status.get(x.id)?.msToFirstRepair).filter((x): x is number => x != null);
        const mean = rated.length ? rated.reduce((a, b) => a + b, 0) / rated.length : null;
        return `<tr><th scope="row">${esc(name)}</th><td class="num">${list.length}</td><td class="num">${fmt(mean)}</td><td class="num">${pct(repaired, list.length)}</td><td class="num">${pct(partly, list.length)}</td><td class="num">${fmt(median(toRepair) === null ? null : median(toRepair)! / 1000)}</td></tr>`;
      };
      const codes = [...byCode.entries()].sort((a, b) => b[1].length - a[1].length);
      return `<table class="grid"><caption>${esc(label.get(rater.id))}: ${count(own.length, 'rupture')}</caption>
<thead><tr><th scope="col">Markers</th><th scope="col" class="num">Ruptures</th><th scope="col" class="num">Mean sig.</th><th scope="col" class="num">Repaired</th><th scope="col" class="num">Partly</th><th scope="col" class="num">Median s to repair</th></tr></thead>
<tbody>${codes.map(([k, list]) => row(`${k}${codeLabel.get(k) ? ` ${codeLabel.get(k)}` : ''}`, list)).join('')}${row('All', own)}</tbody></table>`;
    })
    .join('');
  const STRETCH = 600_000;
  const stretches = Math.max(1, Math.ceil(d.session.durationMs / STRETCH));
  const counts = raters.map((r) => {
    const c = new Array<number>(stretches).fill(0);
    for (const x of ruptures) if (x.raterId === r.id) c[Math.min(stretches - 1, Math.floor(x.startMs / STRETCH))]!++;
    return c;
  });
  const byTime = `<table class="grid"><caption>Ruptures per ten minutes</caption><thead><tr><th scope="col">From</th>${raters
    .map((r) => `<th scope="col" class="num">${esc(label.get(r.id))}</th>`)
    .join('')}</tr></thead><tbody>${Array.from(
    { length: stretches },
    (_, i) =>
      `<tr><td class="num">${t(i * STRETCH)}</td>${counts.map((c) => `<td class="num">${c[i]}</td>`).join('')}</tr>`,
  ).join('')}</tbody></table>`;
  const noted = ruptures.filter((r) => r.note.trim());
  const notedList = noted.length
    ? `<h3>Ruptures with a note${noted.length > NOTED_LISTED ? ` (the first ${NOTED_LISTED} of ${noted.length})` : ''}</h3><ul class="noted">${noted
        .slice(0, NOTED_LISTED)
        .map(
          (r) =>
            `<li><span class="num">${t(r.startMs)}</span> ${esc(label.get(r.raterId))} · ${esc(r.codes.join('+') || '–')}: “${esc(r.note)}”</li>`,
        )
        .join('')}</ul>`
    : '';
  return `<section><h2>Ruptures and their repairs, summarised</h2>
<p class="small">This session has ${count(ruptures.length, 'rupture')} in what is shown here: above ${SUMMARY_ABOVE} the report summarises them per rater and marker and per ten minutes instead of listing each. Every rupture, with its repairs, is in the session's CSV or JSON export (Import / export… in the player, or <code>alliance-review export SESSION_ID --format csv</code>).</p>
${perRater}${byTime}${notedList}</section>`;
}

function byRaterThenTime(d: ReportData) {
  const order = new Map(d.raters.map((r, i) => [r.id, i]));
  return (a: Segment, b: Segment) => (order.get(a.raterId) ?? 0) - (order.get(b.raterId) ?? 0) || a.startMs - b.startMs;
}

function cover(d: ReportData, title: string): string {
  const rows = d.raters
    .map(
      (r) => `<tr><th scope="row">${esc(r.label)}</th><td>${esc(r.consensus ? 'consensus' : r.role)}</td>
        <td>${r.status === 'submitted' ? `submitted${r.revision && r.revision > 1 ? ` (revision ${r.revision})` : ''}` : r.status === 'draft' ? 'draft' : r.consensus ? 'built from submitted ratings' : '–'}</td>
        <td class="num">${r.ruptures}</td><td class="num">${r.repairs}</td><td class="num">${r.comments}</td></tr>`,
    )
    .join('');
  const feedbackBy = new Map<string, number>();
  for (const th of d.feedback ?? [])
    for (const item of [th, ...th.replies]) feedbackBy.set(item.authorName, (feedbackBy.get(item.authorName) ?? 0) + 1);
  return `<header class="cover">
  <h1>${esc(title)}</h1>
  <dl class="facts">
    <div><dt>Case</dt><dd>${esc(d.case.code)}${d.case.therapist ? ` · therapist ${esc(d.case.therapist)}` : ''}</dd></div>
    <div><dt>Session</dt><dd>${d.session.number}${d.session.date ? ` · ${esc(d.session.date)}` : ''}${d.session.modality ? ` · ${esc(d.session.modality)}` : ''}</dd></div>
    <div><dt>Length</dt><dd>${formatDuration(d.session.durationMs)}</dd></div>
    <div><dt>Made</dt><dd>${esc(d.generatedAt.slice(0, 16).replace('T', ' '))} UTC</dd></div>
  </dl>
  ${d.session.notes ? `<p class="notes">${esc(d.session.notes)}</p>` : ''}
  <p class="privacy">${d.pseudonymous ? 'Pseudonymous: raters are named by role; no therapist name, session notes or file names. Confidential clinical material.' : 'Contains names. Confidential clinical material: store and share it as you would the session record.'}</p>
  ${
    d.raters.length
      ? `<table class="raters"><caption>Who rated, and what each did</caption>
    <thead><tr><th scope="col">Rater</th><th scope="col">Perspective</th><th scope="col">Rating</th><th scope="col" class="num">Ruptures</th><th scope="col" class="num">Repairs</th><th scope="col" class="num">Notes</th></tr></thead>
    <tbody>${rows}</tbody></table>`
      : '<p>No ratings on this session yet.</p>'
  }
  ${feedbackBy.size ? `<p>Feedback: ${[...feedbackBy].map(([who, n]) => `${esc(who)} ${n}`).join(' · ')} (comments and replies).</p>` : ''}
</header>`;
}

function ticks(durationMs: number): number[] {
  const steps = [5e3, 10e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3];
  const step = steps.find((s) => durationMs / s <= 12) ?? 3600e3;
  const out: number[] = [];
  for (let x = 0; x <= durationMs; x += step) out.push(x);
  return out;
}

/** Lanes per rater (ruptures by type, repairs linked to their ruptures), feedback as diamonds. */
function timeline(d: ReportData): string {
  const W = 1000;
  const L = 150;
  const plot = W - L - 24;
  const dur = Math.max(1, d.session.durationMs);
  const x = (ms: number) => L + (Math.min(Math.max(ms, 0), dur) / dur) * plot;
  const ROW = 13;
  // Hover titles help on screen; with hundreds of segments they only slow printing down.
  const tip = (text: string) => (d.segments.length <= 300 ? `<title>${esc(text)}</title>` : '');
  let y = 22;
  const parts: string[] = [];
  for (const tk of ticks(dur)) {
    parts.push(
      `<line x1="${x(tk).toFixed(1)}" x2="${x(tk).toFixed(1)}" y1="14" y2="100%" class="grid"/><text x="${x(tk).toFixed(1)}" y="10" class="tick">${esc(t(tk).replace(/^00:/, ''))}</text>`,
    );
  }
  if (d.feedback?.length) {
    parts.push(`<text x="4" y="${y + 9}" class="lane">Feedback</text>`);
    for (const th of d.feedback) {
      const cx = x(th.startMs);
      if (th.endMs > th.startMs)
        parts.push(
          `<rect x="${cx.toFixed(1)}" y="${y + 5}" width="${Math.max(1, x(th.endMs) - cx).toFixed(1)}" height="2" fill="${NEUTRAL}"/>`,
        );
      parts.push(
        `<path d="M${cx.toFixed(1)} ${y + 1} l4 5 l-4 5 l-4 -5 z" fill="${NEUTRAL}"><title>${esc(`${tms(th.startMs)} ${th.authorName}: ${th.text.slice(0, 200)}`)}</title></path>`,
      );
    }
    y += ROW + 6;
  }
  const ruptureY = new Map<number, number>();
  const byId = new Map(d.segments.map((s) => [s.id, s]));
  for (const r of d.raters) {
    const own = d.segments.filter((s) => s.raterId === r.id);
    parts.push(`<text x="4" y="${y + 9}" class="rater">${esc(r.label)}</text>`);
    const rows: [string, Segment[]][] = [
      ['ruptures', own.filter((s) => s.kind === 'rupture')],
      ['repairs', own.filter((s) => s.kind === 'repair')],
    ];
    const notes = own.filter((s) => s.kind === 'comment');
    if (notes.length) rows.push(['notes', notes]);
    let repairY = y;
    for (const [name, segs] of rows) {
      if (name === 'repairs') repairY = y;
      parts.push(
        `<rect x="${L}" y="${y}" width="${plot}" height="${ROW - 2}" class="lane-bg"/><text x="${L - 4}" y="${y + 9}" class="lane" text-anchor="end">${name}</text>`,
      );
      // Many segments: one path per lane and colour (the PDF tags every element; thousands of
      // rects cost more to print than the rest of the page). Few: a rect each, with a hover title.
      const paths = new Map<string, string>();
      for (const s of segs) {
        const x0 = x(s.startMs);
        const w = Math.max(2.5, x(s.endMs) - x0);
        const fill =
          s.kind === 'rupture' ? TYPE_COLOR[s.ruptureType ?? 'none'] : s.kind === 'repair' ? REPAIR : NEUTRAL;
        if (s.kind === 'rupture') ruptureY.set(s.id, y);
        if (d.segments.length > 300)
          paths.set(
            fill,
            `${paths.get(fill) ?? ''}M${x0.toFixed(1)} ${y}h${w.toFixed(1)}v${ROW - 2}h${(-w).toFixed(1)}z`,
          );
        else
          parts.push(
            `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 2}" fill="${fill}">${tip(`${s.kind} ${tms(s.startMs)}–${tms(s.endMs)} ${s.codes.join('+')}`)}</rect>`,
          );
      }
      for (const [fill, dPath] of paths) parts.push(`<path d="${dPath}" fill="${fill}"/>`);
      y += ROW;
    }
    // Repairs point at the ruptures they address (one path for all of a rater's links).
    let links = '';
    for (const rep of own.filter((s) => s.kind === 'repair'))
      for (const id of rep.linkedRuptureIds) {
        const ry = ruptureY.get(id);
        const rup = byId.get(id);
        if (ry === undefined || !rup) continue;
        links += `M${x(rep.startMs).toFixed(1)} ${repairY}L${x(rup.endMs).toFixed(1)} ${ry + ROW - 2}`;
      }
    if (links) parts.push(`<path d="${links}" class="link"/>`);
    y += 6;
  }
  const H = y + 4;
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Timeline of the session: ruptures and repairs per rater, feedback comments">${parts.join('')}</svg>`;
}

function legend(): string {
  const sw = (c: string, l: string) => `<span class="sw" style="background:${c}"></span>${l}`;
  return [
    sw(TYPE_COLOR.withdrawal, 'withdrawal rupture'),
    sw(TYPE_COLOR.confrontation, 'confrontation rupture'),
    sw(TYPE_COLOR.both, 'both'),
    sw(REPAIR, 'repair (a line joins it to its rupture)'),
    sw(NEUTRAL, 'note or feedback'),
  ].join(' ');
}

/**
 * Ruptures per rater, one line each (a session may hold hundreds): markers by key, their labels
 * once in a key below; repairs with strategy, stage and resolution.
 */
function ruptureTable(
  d: ReportData,
  ruptures: Segment[],
  label: Map<number, string>,
  codeLabel: Map<string, string>,
  status: Map<number, ReportData['statuses'][number]>,
  byId: Map<number, Segment>,
  stage: Map<string, string>,
): string {
  // Repairs linked to no rupture (a CSV import leaves them so) are shown too, under their rater.
  const unlinked = [...byId.values()].filter((x) => x.kind === 'repair' && x.linkedRuptureIds.length === 0);
  if (!ruptures.length && !unlinked.length)
    return '<section><h2>Ruptures</h2><p>No ruptures marked in what is shown here.</p></section>';
  // A real table (a tagged PDF and a screen reader read it as one) for a session's usual dozens of
  // ruptures; for hundreds, one line of text per rupture in aligned columns: Chromium tags every
  // element of the PDF, and printing a thousand-row table took 3.7 s where the lines take 1.5 s
  // (bench/report.ts).
  const compact = ruptures.length > 300;
  const used = new Set<string>();
  const stagesUsed = new Set<string>();
  /** Codes as plain text (escaped where they go into HTML). */
  const keys = (list: string[]) => {
    list.forEach((c) => used.add(c));
    return list.join('+') || '–';
  };
  const WIDTHS = [10, 6, 9, 14, 5, 9, 10];
  const line = (cells: string[]) =>
    `<div class="rl">${esc(cells.map((c, i) => (i < WIDTHS.length ? c.padEnd(WIDTHS[i]!) : c)).join(''))}</div>`;
  const groups = d.raters
    .map((rater) => {
      const own = ruptures.filter((r) => r.raterId === rater.id);
      const loose = unlinked.filter((x) => x.raterId === rater.id);
      const looseText = loose.length
        ? `<p class="small">${esc(label.get(rater.id))}: ${loose.length} repair${loose.length === 1 ? '' : 's'} linked to no rupture: ${esc(
            loose
              .map((rep) => {
                if (rep.stage) stagesUsed.add(rep.stage);
                return `${t(rep.startMs)} ${keys(rep.codes)}${rep.stage ? ` ${rep.stage}` : ''}${rep.rating ? ` (${rep.rating}/5)` : ''}`;
              })
              .join('; '),
          )}</p>`
        : '';
      if (!own.length) return looseText;
      const rows = own
        .map((r) => {
          const st = status.get(r.id);
          const repairs = (st?.repairIds ?? [])
            .map((id) => byId.get(id))
            .filter((x): x is Segment => !!x)
            .map((rep) => {
              if (rep.stage) stagesUsed.add(rep.stage);
              return `${t(rep.startMs)} ${keys(rep.codes)}${rep.stage ? ` ${rep.stage}` : ''}${rep.rating ? ` (${rep.rating}/5)` : ''}`;
            })
            .join('; ');
          const statusText = st?.status === 'repaired' ? 'yes' : st?.status === 'partly' ? 'partly' : 'no';
          const cells = [
            t(r.startMs),
            ((r.endMs - r.startMs) / 1000).toFixed(1),
            keys(r.codes),
            r.ruptureType ?? '–',
            String(r.rating ?? '–'),
            statusText,
            st?.msToFirstRepair != null ? (st.msToFirstRepair / 1000).toFixed(1) : '–',
            `${repairs || '–'}${r.note ? ` “${r.note}”` : ''}`,
          ];
          return compact
            ? line(cells)
            : `<tr>${cells.map((c, i) => `<td${i < 2 || i === 4 || i === 6 ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
        })
        .join('');
      const head = [
        'At',
        'Secs',
        'Markers',
        'Type',
        'Sig.',
        'Repaired',
        'After (s)',
        'Repairs (strategy, stage, resolution), note',
      ];
      const caption = `${esc(label.get(rater.id))}: ${own.length} rupture${own.length === 1 ? '' : 's'}`;
      return (
        (compact
          ? `<div class="ruptures"><p class="cap">${caption}</p><div class="head">${line(head)}</div>${rows}</div>`
          : `<table class="ruptures"><caption>${caption}</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`) +
        looseText
      );
    })
    .join('');
  const key = [...used]
    .sort()
    .map((c) => `<b>${esc(c)}</b> ${esc(codeLabel.get(c) ?? '')}`)
    .concat([...stagesUsed].sort().map((k) => `<b>${esc(k)}</b> ${esc(stage.get(k) ?? '')}`))
    .join(' · ');
  return `<section><h2>Ruptures and their repairs</h2>${groups}<p class="small codes-key">${key}</p></section>`;
}

function feedbackSection(d: ReportData): string {
  if (!d.feedback) return '';
  if (!d.feedback.length) return '<section><h2>Feedback</h2><p>No feedback comments on this session.</p></section>';
  const items = d.feedback
    .map(
      (
        th,
      ) => `<li class="thread"><p class="head"><span class="num">${tms(th.startMs)}${th.endMs > th.startMs ? `–${tms(th.endMs)}` : ''}</span>
      ${th.label ? `<span class="tag">${esc(th.label)}</span>` : ''} <span class="state">${esc(th.state)}</span></p>
      <p><b>${esc(th.authorName)}</b>: ${esc(th.text)}</p>
      ${th.replies.map((r) => `<p class="reply"><b>${esc(r.authorName)}</b>: ${esc(r.text)}</p>`).join('')}</li>`,
    )
    .join('');
  return `<section><h2>Feedback</h2><ol class="feedback">${items}</ol></section>`;
}

/** The 3RS grid as one table: a row per grid segment, a column per rater (markers, W/C significance). */
function gridSection(d: ReportData, label: Map<number, string>): string {
  if (!d.grids.length) return '';
  const size = d.grids[0]!.segmentMs;
  const grids = d.grids.filter((g) => g.segmentMs === size);
  const rows = grids[0]!.cells
    .map((cell, i) => {
      const cols = grids
        .map((g) => {
          const c = g.cells[i];
          if (!c || (!c.codes.length && !c.w && !c.c)) return '<td class="empty">·</td>';
          const sig = [c.w ? `W ${c.w}` : '', c.c ? `C ${c.c}` : ''].filter(Boolean).join(' · ');
          return `<td>${c.codes.map(esc).join(' ')}${sig ? `<div class="note">${sig}</div>` : ''}</td>`;
        })
        .join('');
      return `<tr><td class="num">${t(cell.startMs)}–${t(cell.endMs)}</td>${cols}</tr>`;
    })
    .join('');
  const overall = grids
    .filter((g) => g.therapistContribution || g.resolutionExtent)
    .map(
      (g) =>
        `${esc(label.get(g.raterId))}: ${[g.therapistContribution ? `therapist contribution ${g.therapistContribution}/5` : '', g.resolutionExtent ? `resolution ${g.resolutionExtent}/5` : ''].filter(Boolean).join(', ')}`,
    )
    .join(' · ');
  return `<section><h2>3RS grid (${size / 60000}-minute segments)</h2>
<table class="grid"><thead><tr><th scope="col">Segment</th>${grids.map((g) => `<th scope="col">${esc(label.get(g.raterId))}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
${overall ? `<p class="small">${overall}</p>` : ''}<p class="small">Markers present in each segment, with the highest withdrawal (W) and confrontation (C) significance, 1–5.</p></section>`;
}

/** Who speaks when: each speaker's talk, turns and silences, for the session and per 5 minutes. */
function talkSection(d: ReportData): string {
  const f = d.talk;
  if (!f) return '';
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
  const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const lanes = f.session.lanes;
  const rows = lanes
    .map(
      (l) =>
        `<tr><th scope="row">${esc(l.name)}</th><td class="num">${formatDuration(l.talkMs)}</td><td class="num">${pct(l.share)}</td><td class="num">${l.turns ?? '–'}</td><td class="num">${l.medianTurnMs === null ? '–' : secs(l.medianTurnMs)}</td></tr>`,
    )
    .join('');
  const windows =
    f.windows.length > 1
      ? `<table class="grid"><thead><tr><th scope="col" class="num">From</th>${lanes.map((l) => `<th scope="col" class="num">${esc(l.name)}</th>`).join('')}<th scope="col" class="num">Longest silence</th>${f.mode === 'voice' ? '' : '<th scope="col" class="num">Overlaps</th>'}</tr></thead><tbody>${f.windows
          .map(
            (w) =>
              `<tr><td class="num">${t(w.startMs)}</td>${w.lanes.map((l) => `<td class="num">${pct(l.share)}</td>`).join('')}<td class="num">${secs(w.longestSilenceMs)}</td>${f.mode === 'voice' ? '' : `<td class="num">${w.overlaps}</td>`}</tr>`,
          )
          .join('')}</tbody></table>`
      : '';
  const how =
    f.mode === 'channels'
      ? 'One speaker per channel of the recording.'
      : f.mode === 'files'
        ? 'One speaker per recorder.'
        : 'Speech against silence (one microphone for the room: speakers are not told apart).';
  return `<section><h2>Who speaks when</h2>
<table class="grid"><thead><tr><th scope="col">Speaker</th><th scope="col" class="num">Talk</th><th scope="col" class="num">Share</th><th scope="col" class="num">Turns</th><th scope="col" class="num">Median turn</th></tr></thead><tbody>${rows}</tbody></table>
<p class="small">Longest silence ${secs(f.session.longestSilenceMs)} · ${count(f.session.silences, 'silence')} of ${f.silenceMs / 1000} s or more${f.mode === 'voice' ? '' : ` · ${count(f.session.overlaps, 'overlap')} (${secs(f.session.overlapMs)})`}. ${how} Found by a voice activity detector, not by a listener.</p>
${windows}</section>`;
}

function selfReportSection(d: ReportData): string {
  if (!d.selfReports.length) return '';
  const rows = d.selfReports
    .map(
      (r) =>
        `<tr><td>${esc(r.who)}</td><td>${esc(r.perspective)}</td><td>${esc(r.instrument)}</td><td>${esc(r.summary)}</td></tr>`,
    )
    .join('');
  const people = new Map(d.raters.filter((r) => !r.consensus).map((r) => [r.id, r]));
  const byRole = new Map<string, number>();
  for (const s of d.segments)
    if (s.kind === 'rupture' && people.has(s.raterId)) {
      const role = people.get(s.raterId)!.role;
      byRole.set(role, (byRole.get(role) ?? 0) + 1);
    }
  const marked = [...byRole].map(([role, n]) => `${role}s ${n}`).join(', ') || 'none yet';
  return `<section><h2>Self-reports beside the observers' view</h2>
<table><thead><tr><th scope="col">Who</th><th scope="col">Perspective</th><th scope="col">Questionnaire</th><th scope="col">Answers</th></tr></thead><tbody>${rows}</tbody></table>
<p>Ruptures marked by the raters shown here: ${esc(marked)}. Patients, therapists and observers often see ruptures differently; a difference here is a topic, not an error.</p></section>`;
}

function agreementSection(d: ReportData): string {
  const a = d.agreement;
  if (!a || !a.pairs.length) return '';
  const f = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(2));
  const rows = a.pairs
    .map(
      (p) =>
        `<tr><td>${p.raters.map(esc).join(' · ')}</td><td class="num">${f(p.time_unit_kappa.any)}</td><td class="num">${f(p.event_agreement.any)}</td><td class="num">${f(p.mean_iou.any)}</td><td class="num">${f(p.pabak)}</td></tr>`,
    )
    .join('');
  return `<section><h2>Agreement between submitted ratings</h2>
<table><thead><tr><th scope="col">Raters</th><th scope="col" class="num">κ (1-s units)</th><th scope="col" class="num">Event agreement</th><th scope="col" class="num">Mean overlap</th><th scope="col" class="num">PABAK</th></tr></thead><tbody>${rows}</tbody></table>
<p class="small">Any rupture, whatever its markers. κ over 1-second units; events match when they overlap; PABAK corrects κ for how rare ruptures are.</p></section>`;
}

export const REPORT_CSS = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { margin: 0; font: 10.5pt/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: #fff; }
.report { max-width: 190mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 6px; }
h2 { font-size: 12.5pt; margin: 18px 0 6px; border-bottom: 1px solid #d9dcd6; padding-bottom: 2px; break-after: avoid; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 6px 0; }
.facts dt { font-size: 8.5pt; color: #5c6470; text-transform: uppercase; letter-spacing: .04em; }
.facts dd { margin: 0; font-weight: 600; }
.privacy { font-size: 9pt; color: #a33a08; margin: 4px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 9pt; }
.ruptures { font-size: 8.5pt; margin: 4px 0 10px; }
.ruptures .cap { font-weight: 600; margin: 2px 0; font-size: 9.5pt; }
.ruptures .rl { font: 7.5pt/1.35 'DejaVu Sans Mono', Menlo, Consolas, monospace; white-space: pre-wrap; border-bottom: 1px solid #e3e5e0; }
.ruptures .head .rl { color: #5c6470; font-weight: 600; border-bottom-color: #b9bdb5; }
table.ruptures { table-layout: fixed; }
table.ruptures th:nth-child(1) { width: 10%; } table.ruptures th:nth-child(2) { width: 6%; } table.ruptures th:nth-child(3) { width: 11%; }
table.ruptures th:nth-child(4) { width: 13%; } table.ruptures th:nth-child(5) { width: 5%; } table.ruptures th:nth-child(6) { width: 9%; }
table.ruptures th:nth-child(7) { width: 8%; }
.ruptures i { color: #5c6470; }
caption { text-align: left; font-weight: 600; padding: 2px 0; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid #e3e5e0; }
thead th { font-size: 8.5pt; color: #5c6470; font-weight: 600; border-bottom: 1px solid #b9bdb5; }
thead { display: table-header-group; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.num, th.num { text-align: right; }
.note { color: #5c6470; font-size: 9pt; }
.timeline { display: block; margin: 4px 0; }
.timeline .tick { font-size: 9px; fill: #5c6470; text-anchor: middle; }
.timeline .grid { stroke: #e3e5e0; stroke-width: .6; }
.timeline .lane { font-size: 8px; fill: #5c6470; }
.timeline .rater { font-size: 9.5px; font-weight: 600; fill: #1f2328; }
.timeline .lane-bg { fill: #f4f5f2; }
.timeline .link { stroke: #009E73; stroke-width: .8; fill: none; }
.legend { font-size: 8.5pt; color: #5c6470; }
.sw { display: inline-block; width: 10px; height: 8px; margin: 0 4px 0 10px; vertical-align: baseline; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
svg rect, svg path { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.feedback { padding-left: 0; list-style: none; }
.thread { border-left: 3px solid #6B7280; padding: 2px 0 2px 8px; margin: 6px 0; break-inside: avoid; }
.thread p { margin: 2px 0; white-space: pre-wrap; }
.thread .head { font-size: 9pt; color: #5c6470; }
.thread .reply { margin-left: 14px; }
.tag { border: 1px solid #b9bdb5; border-radius: 8px; padding: 0 6px; font-size: 8.5pt; }
.state { float: right; }
.small { font-size: 8.5pt; color: #5c6470; }
td.empty { color: #b9bdb5; }
`;
