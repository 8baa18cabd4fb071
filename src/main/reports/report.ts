/**
 * The supervision report of a session: what a supervisor and a trainee bring to their meeting.
 * Gathered here from the services (as the viewer may see it: blind rating holds), drawn as one
 * self-contained HTML page by report-html.ts; the app prints it, the CLI prints it through a
 * headless Chromium. Pseudonymous by default: the case by its code, raters by role and letter,
 * no therapist name, session notes or file paths unless asked.
 */
import type { Rater, RatingState, RuptureStatus, Segment } from '../../shared/annotations';
import type { Code } from '../../shared/codebook';
import type { FeedbackThread } from '../../shared/feedback';
import type { SessionAgreementView } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { sessionAgreement, type AgreementDeps } from '../agreement/agreement';
import type { Core } from '../app';
import type { TalkFigures } from '../../shared/talk';
import type { Viewer } from '../rpc/policy';

/** What this needs of the core, by name. */
export type ReportDeps = AgreementDeps &
  Pick<Core, 'annotations' | 'feedback' | 'library' | 'policy' | 'raters' | 'responses' | 'segments' | 'talk'>;

export interface ReportOptions {
  /** Show raters' and the therapist's names and the session notes (off: pseudonymous). */
  names?: boolean;
}

export interface ReportRater {
  id: number;
  /** A name, or with names off the role and a letter ("Observer B"). */
  label: string;
  role: Rater['role'];
  consensus: boolean;
  status: RatingState['status'] | null;
  revision: number | null;
  ruptures: number;
  repairs: number;
  comments: number;
}

export interface ReportData {
  generatedAt: string;
  pseudonymous: boolean;
  case: { code: string; therapist: string | null };
  session: { number: number; date: string | null; modality: string; notes: string | null; durationMs: number };
  raters: ReportRater[];
  codes: Code[];
  stages: { key: string; label: string }[];
  segments: Segment[];
  statuses: RuptureStatus[];
  feedback: FeedbackThread[] | null;
  grids: {
    raterId: number;
    segmentMs: number;
    cells: { startMs: number; endMs: number; codes: string[]; w: number | null; c: number | null }[];
    therapistContribution: number | null;
    resolutionExtent: number | null;
  }[];
  selfReports: { who: string; perspective: string; instrument: string; summary: string }[];
  agreement: SessionAgreementView | null;
  /** Who speaks when: talk figures for the session and per 5 minutes (null before analysis). */
  talk: TalkFigures | null;
}

/** Everything the report shows, as `viewer` may see it ('all' for the command line). */
export function reportData(
  core: ReportDeps,
  sessionId: number,
  viewer: Viewer | 'all',
  options: ReportOptions = {},
): ReportData {
  const detail = core.library.sessionDetail(sessionId);
  if (detail.recordings.length === 0)
    throw new AppError('INVALID_INPUT', 'This session has no recording yet, so there is nothing to report on.');
  const names = options.names === true;
  const visible = core.policy.visibleRaters(sessionId, viewer);
  const all = core.annotations.list(sessionId);
  const segments = all.segments.filter((s) => !visible || visible.has(s.raterId));
  const shownIds = new Set(segments.map((s) => s.id));
  const statuses = all.ruptureStatus.filter((s) => shownIds.has(s.ruptureId));
  const raterRows = core.raters
    .list()
    .filter(
      (r) =>
        segments.some((s) => s.raterId === r.id) ||
        all.ratings.some((x) => x.raterId === r.id && (!visible || visible.has(r.id))),
    );
  const letters = new Map<string, number>();
  const label = (r: Rater) => {
    if (names || r.consensus) return r.consensus ? 'Consensus' : r.name;
    const n = (letters.get(r.role) ?? 0) + 1;
    letters.set(r.role, n);
    const role = r.role[0]!.toUpperCase() + r.role.slice(1);
    return `${role} ${String.fromCharCode(64 + n)}`;
  };
  const raters: ReportRater[] = raterRows
    .sort((a, b) => Number(a.consensus) - Number(b.consensus) || a.role.localeCompare(b.role) || a.id - b.id)
    .map((r) => {
      const rating = all.ratings.find((x) => x.raterId === r.id);
      const own = segments.filter((s) => s.raterId === r.id);
      return {
        id: r.id,
        label: label(r),
        role: r.role,
        consensus: r.consensus,
        status: rating?.status ?? null,
        revision: rating?.revision ?? null,
        ruptures: own.filter((s) => s.kind === 'rupture').length,
        repairs: own.filter((s) => s.kind === 'repair').length,
        comments: own.filter((s) => s.kind === 'comment').length,
      };
    });
  const byId = new Map(raters.map((r) => [r.id, r.label]));
  const codebook = core.annotations.codebook().definition;
  const feedback = core.policy.canUseFeedback(viewer)
    ? core.feedback.list(sessionId, viewer).threads.map((t) => pseudonymise(t, names, byId))
    : null;
  const grids = raters
    .filter((r) => !r.consensus)
    .map((r) => core.annotations.grid(sessionId, r.id))
    .filter(
      (g) =>
        g.cells.some((c) => c.codes.length || c.withdrawalSignificance || c.confrontationSignificance) ||
        g.therapistContribution ||
        g.resolutionExtent,
    )
    .map((g) => ({
      raterId: g.raterId,
      segmentMs: g.segmentMs,
      cells: g.cells.map((c) => ({
        startMs: c.startMs,
        endMs: c.endMs,
        codes: c.codes,
        w: c.withdrawalSignificance,
        c: c.confrontationSignificance,
      })),
      therapistContribution: g.therapistContribution,
      resolutionExtent: g.resolutionExtent,
    }));
  const responders = core.policy.visibleResponders(sessionId, viewer);
  const instruments = new Map(core.responses.instruments().map((i) => [i.key, i]));
  const selfReports = core.responses
    .forSession(sessionId)
    .filter((r) => !responders || responders.has(r.raterId))
    .map((r) => {
      const rater = core.raters.get(r.raterId);
      const subs = Object.entries(r.scores.subscales).filter(([, v]) => v !== null);
      const tension = r.answers.tension;
      const summary =
        typeof tension === 'boolean'
          ? tension
            ? `tension reported${typeof r.answers.tense === 'number' ? `, how tense ${r.answers.tense}/5` : ''}${typeof r.answers.resolved === 'number' ? `, resolved ${r.answers.resolved}/5` : ''}`
            : 'no tension reported'
          : subs.length
            ? subs.map(([k, v]) => `${k} ${v!.toFixed(1)}`).join(', ') +
              (r.scores.total !== null ? `; total ${r.scores.total.toFixed(1)}` : '')
            : `${Object.values(r.answers).filter((v) => v !== null && v !== '').length} items answered`;
      return {
        who: byId.get(r.raterId) ?? (names ? rater.name : r.perspective[0]!.toUpperCase() + r.perspective.slice(1)),
        perspective: r.perspective,
        instrument: instruments.get(r.instrument)?.name ?? r.instrument,
        summary,
      };
    });
  const submitted = all.ratings.filter((r) => r.status === 'submitted' && (!visible || visible.has(r.raterId)));
  const agreement =
    submitted.length >= 2
      ? sessionAgreement(core, sessionId, { unitMs: 1000, toleranceMs: 0, windowMs: 3000 }, visible)
      : null;
  if (agreement && !names) {
    const byName = new Map(core.raters.list().map((r) => [r.name, byId.get(r.id) ?? r.role]));
    agreement.submitted_raters = agreement.submitted_raters.map((n) => byName.get(n) ?? n);
    for (const p of agreement.pairs) p.raters = p.raters.map((n) => byName.get(n) ?? n) as typeof p.raters;
    for (const r of agreement.resolution) r.raters = r.raters.map((n) => byName.get(n) ?? n);
    agreement.prevalence = Object.fromEntries(
      Object.entries(agreement.prevalence).map(([n, v]) => [byName.get(n) ?? n, v]),
    );
    // The methods paragraph names the raters in prose; a pseudonymous report carries none.
    agreement.methods = '';
  }
  return {
    generatedAt: new Date().toISOString(),
    pseudonymous: !names,
    case: { code: detail.case.code, therapist: names ? detail.case.therapist || null : null },
    session: {
      number: detail.session.number,
      date: detail.session.date,
      modality: detail.session.modality,
      notes: names ? detail.session.notes || null : null,
      durationMs: core.segments.sessionDurationMs(sessionId),
    },
    raters,
    codes: codebook.codes,
    stages: codebook.stages.map((s) => ({ key: s.key, label: s.label })),
    segments,
    statuses,
    feedback,
    grids,
    selfReports,
    agreement,
    talk: core.talk.session(sessionId).figures,
  };
}

function pseudonymise(t: FeedbackThread, names: boolean, labels: Map<number, string>): FeedbackThread {
  if (names) return t;
  const who = (id: number, role: string) => labels.get(id) ?? role[0]!.toUpperCase() + role.slice(1);
  return {
    ...t,
    authorName: who(t.authorId, t.authorRole),
    stateBy: t.stateBy ? 'a participant' : null,
    segment: t.segment ? { ...t.segment, raterName: '' } : null,
    replies: t.replies.map((r) => ({ ...r, authorName: who(r.authorId, r.authorRole) })),
  };
}
