/**
 * The case summary across sessions, for a supervision meeting about one client: per session, the
 * ruptures each perspective reported and how many were resolved, the alliance where it was
 * measured, and the feedback given. Built from the case timeline (blind rating holds) and drawn as
 * one self-contained page in the report's style.
 */
import type { Role } from '../../shared/annotations';
import { formatDuration } from '../../shared/time';
import { caseTimeline, type AgreementDeps } from '../agreement/agreement';
import type { Core } from '../app';
import type { Viewer } from '../rpc/policy';
import { esc, REPORT_CSS } from './report-html';

/** What this needs of the core, by name. */
export type CaseReportDeps = AgreementDeps & Pick<Core, 'feedback' | 'library' | 'policy'>;

const ROLES: Role[] = ['observer', 'supervisor', 'trainee', 'therapist', 'patient'];
const COLOR: Record<Role, string> = {
  observer: '#0072B2',
  supervisor: '#E69F00',
  trainee: '#009E73',
  therapist: '#CC79A7',
  patient: '#D55E00',
};

export function caseReportHtml(
  core: CaseReportDeps,
  caseId: number,
  viewer: Viewer | 'all',
  options: { names?: boolean } = {},
): string {
  const visibleFor = (sessionId: number) => ({
    raters: core.policy.visibleRaters(sessionId, viewer),
    responders: core.policy.visibleResponders(sessionId, viewer),
  });
  const timeline = caseTimeline(core, caseId, visibleFor);
  const c = core.library.listCases().find((x) => x.id === caseId)!;
  const counts = new Map(core.feedback.counts(viewer).map((f) => [f.sessionId, f]));
  const roles = ROLES.filter((r) => timeline.sessions.some((s) => s.ruptures[r] !== undefined));
  const rows = timeline.sessions
    .map((s) => {
      const session = c.sessions.find((x) => x.id === s.session_id)!;
      const length = session.recordings.length
        ? formatDuration(Math.max(...session.recordings.map((r) => r.offsetMs + r.durationMs)))
        : '–';
      const fb = counts.get(s.session_id);
      const cell = (role: Role) => {
        const n = s.ruptures[role];
        if (n === undefined) return '<td class="num empty">·</td>';
        const res = s.resolution[role];
        const self = role === 'patient' || role === 'therapist';
        const shown = self ? (n ? 'tension' : 'none') : n.toFixed(n % 1 ? 1 : 0);
        return `<td class="num">${shown}${res !== null && res !== undefined ? `<div class="note">resolved ${Math.round(res * 100)} %</div>` : ''}</td>`;
      };
      const alliance = ROLES.filter((r) => s.alliance[r] !== undefined)
        .map((r) => `${r} ${s.alliance[r]!.toFixed(1)}`)
        .join(', ');
      return `<tr><th scope="row">${s.number}</th><td class="num">${esc(s.date ?? '–')}</td><td class="num">${length}</td>${roles.map(cell).join('')}<td>${esc(alliance || '–')}</td><td class="num">${fb ? `${fb.threads}${fb.open ? ` (${fb.open} open)` : ''}` : '–'}</td></tr>`;
    })
    .join('');
  const chart = ruptureChart(timeline.sessions, roles);
  const title = `Case summary · ${c.code}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${REPORT_CSS}</style></head>
<body><main class="report">
<header class="cover"><h1>${esc(title)}</h1>
<dl class="facts"><div><dt>Case</dt><dd>${esc(c.code)}${options.names && c.therapist ? ` · therapist ${esc(c.therapist)}` : ''}</dd></div>
<div><dt>Sessions</dt><dd>${c.sessions.length}</dd></div><div><dt>Made</dt><dd>${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC</dd></div></dl>
<p class="privacy">${options.names ? 'Contains names. Confidential clinical material.' : 'Pseudonymous: no therapist name. Confidential clinical material.'}</p></header>
<section><h2>Ruptures per session, by perspective</h2>${chart}</section>
<section><h2>Sessions</h2>
<table><thead><tr><th scope="col">Session</th><th scope="col" class="num">Date</th><th scope="col" class="num">Length</th>${roles.map((r) => `<th scope="col" class="num">${r}</th>`).join('')}<th scope="col">Alliance (WAI-SR)</th><th scope="col" class="num">Feedback</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="small">Observers, supervisors and trainees: ruptures marked per rater (mean over the raters who submitted) and the share resolved (partly resolved counts half). Patient and therapist: whether their post-session report names a tension, and how well it was resolved by their own account.</p></section>
</main></body></html>`;
}

function ruptureChart(sessions: ReturnType<typeof caseTimeline>['sessions'], roles: Role[]): string {
  const observed = roles.filter((r) => r !== 'patient' && r !== 'therapist');
  if (!sessions.length || !observed.length) return '<p>No submitted ratings yet.</p>';
  const max = Math.max(1, ...sessions.flatMap((s) => observed.map((r) => s.ruptures[r] ?? 0)));
  const W = 1000;
  const H = 160;
  const band = (W - 40) / sessions.length;
  const bar = Math.max(2, (band - 10) / observed.length);
  const parts: string[] = [];
  sessions.forEach((s, i) => {
    observed.forEach((r, j) => {
      const v = s.ruptures[r];
      if (v === undefined) return;
      const h = (v / max) * (H - 30);
      parts.push(
        `<rect x="${(40 + i * band + j * bar).toFixed(1)}" y="${(H - 18 - h).toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOR[r]}"/>`,
      );
    });
    parts.push(
      `<text x="${(40 + i * band + (band - 10) / 2).toFixed(1)}" y="${H - 4}" class="tick">${s.number}</text>`,
    );
  });
  parts.push(
    `<text x="0" y="12" class="lane">${max.toFixed(max % 1 ? 1 : 0)}</text><text x="0" y="${H - 18}" class="lane">0</text>`,
  );
  const legend = observed.map((r) => `<span class="sw" style="background:${COLOR[r]}"></span>${r}`).join(' ');
  return `<svg class="timeline" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Ruptures per session by perspective">${parts.join('')}</svg><p class="legend">${legend}; sessions by number.</p>`;
}
