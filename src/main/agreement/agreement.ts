/**
 * Perspectives (rupture rates, McNemar, Cochran's Q), a case over time, calibration against a
 * reference rater, and assignments. Agreement on segments is in `segments.ts`, on ratings tables
 * in `ratings.ts` (re-exported here for the handlers and the CLI).
 */
import { cochranQ, mcnemar } from '../../shared/agreement/stats';
import type { Role } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import { reportsRupture } from '../../shared/instruments';
export { checkUnits, segmentsReport, sessionAgreement, studyAgreement, KINDS, type Kind } from './segments';
import { segmentsReport } from './segments';

export type { AgreementDeps } from './deps';
import type { AgreementDeps } from './deps';

type Perspective = Role;
const PERSPECTIVES: Perspective[] = ['patient', 'therapist', 'observer', 'supervisor', 'trainee'];

/**
 * Per session and perspective: did that perspective report a rupture? Observers, supervisors
 * and trainees by their submitted ratings (any rupture segment); patients and therapists by the
 * post-session report's tension item, else by a submitted rating. Null when the perspective has
 * no data for the session.
 */
export function perspectivePresence(
  core: AgreementDeps,
  sessionId: number,
  /** Blind rating: only these raters' work counts (null: everyone's). */
  visible: Set<number> | null = null,
  /** Only these raters' questionnaires count (null: everyone's). */
  responders: Set<number> | null = null,
): Record<Perspective, boolean | null> {
  const { annotations, responses } = core;
  const list = annotations.list(sessionId);
  const roles = new Map(annotations.raters().map((r) => [r.id, r.role]));
  const out = Object.fromEntries(PERSPECTIVES.map((p) => [p, null])) as Record<Perspective, boolean | null>;
  const consensus = annotations.raters().find((r) => r.consensus)?.id;
  for (const r of list.ratings) {
    if (r.status !== 'submitted' || r.raterId === consensus || (visible && !visible.has(r.raterId))) continue;
    const role = roles.get(r.raterId)!;
    const has = list.segments.some((s) => s.raterId === r.raterId && s.kind === 'rupture');
    out[role] = (out[role] ?? false) || has;
  }
  for (const resp of responses.forSession(sessionId)) {
    if (responders && !responders.has(resp.raterId)) continue;
    const said = reportsRupture(resp.answers);
    if (said !== null) out[resp.perspective] = out[resp.perspective] === true || said;
  }
  return out;
}

/**
 * What a viewer may see of each session (blind rating): whose ratings and whose questionnaires;
 * null: everything.
 */
export type VisibleFor = (sessionId: number) => { raters: Set<number> | null; responders: Set<number> | null };
const ALL: VisibleFor = () => ({ raters: null, responders: null });

export function perspectivesReport(core: AgreementDeps, caseCode?: string, visibleFor: VisibleFor = ALL) {
  const cases = core.library.listCases().filter((c) => !caseCode || c.code.toLowerCase() === caseCode.toLowerCase());
  if (caseCode && cases.length === 0) throw new AppError('NOT_FOUND', `There is no case ${caseCode}.`);
  const sessions = cases.flatMap((c) => c.sessions.map((s) => ({ id: s.id, case: c.code, number: s.number })));
  const rows = sessions.map((s) => ({
    ...s,
    presence: perspectivePresence(core, s.id, visibleFor(s.id).raters, visibleFor(s.id).responders),
  }));
  const rates = Object.fromEntries(
    PERSPECTIVES.map((p) => {
      const withData = rows.filter((r) => r.presence[p] !== null);
      const yes = withData.filter((r) => r.presence[p]).length;
      return [
        p,
        {
          sessions_with_data: withData.length,
          sessions_with_rupture: yes,
          rate: withData.length ? yes / withData.length : null,
        },
      ];
    }),
  );
  const mcnemars = [];
  for (let i = 0; i < PERSPECTIVES.length; i++) {
    for (let j = i + 1; j < PERSPECTIVES.length; j++) {
      const [a, b] = [PERSPECTIVES[i]!, PERSPECTIVES[j]!];
      const both = rows.filter((r) => r.presence[a] !== null && r.presence[b] !== null);
      if (both.length === 0) continue;
      const t = mcnemar(
        both.map((r) => r.presence[a]!),
        both.map((r) => r.presence[b]!),
      );
      mcnemars.push({
        perspectives: [a, b],
        sessions: both.length,
        a_only: t.b,
        b_only: t.c,
        statistic: t.statistic,
        p: t.p,
        exact: t.exact,
        ...(t.note ? { note: t.note } : {}),
      });
    }
  }
  const three: Perspective[] = ['patient', 'therapist', 'observer'];
  const complete = rows.filter((r) => three.every((p) => r.presence[p] !== null));
  const q = cochranQ(complete.map((r) => three.map((p) => r.presence[p]!)));
  return {
    case: caseCode ?? null,
    sessions: rows.length,
    perspectives: rates,
    per_session: rows.map((r) => ({ session_id: r.id, case: r.case, number: r.number, ...r.presence })),
    mcnemar: mcnemars,
    cochran_q: {
      perspectives: three,
      sessions: complete.length,
      statistic: q.statistic,
      df: q.df,
      p: q.p,
      ...(q.note ? { note: q.note } : {}),
    },
  };
}

/**
 * A case over time, per session and perspective: ruptures marked (mean over that perspective's
 * submitted raters; self-reports count a reported tension as one), resolution (share of ruptures
 * repaired; self-reports: how well resolved, 1–5, scaled to 0–1) and alliance (WAI-SR mean).
 */
export function caseTimeline(core: AgreementDeps, caseId: number, visibleFor: VisibleFor = ALL) {
  const c = core.library.listCases().find((x) => x.id === caseId);
  if (!c) throw new AppError('NOT_FOUND', 'That case no longer exists.');
  const roles = new Map(core.annotations.raters().map((r) => [r.id, r.role]));
  const consensus = core.annotations.raters().find((r) => r.consensus)?.id;
  const sessions = c.sessions.map((s) => {
    const list = core.annotations.list(s.id);
    const { raters: visible, responders } = visibleFor(s.id);
    const submitted = list.ratings.filter(
      (r) => r.status === 'submitted' && r.raterId !== consensus && (!visible || visible.has(r.raterId)),
    );
    const ruptures: Partial<Record<Role, number>> = {};
    const resolution: Partial<Record<Role, number | null>> = {};
    const alliance: Partial<Record<Role, number>> = {};
    for (const role of PERSPECTIVES) {
      const raters = submitted.filter((r) => roles.get(r.raterId) === role).map((r) => r.raterId);
      if (raters.length === 0) continue;
      const theirs = list.segments.filter((x) => raters.includes(x.raterId));
      const rups = theirs.filter((x) => x.kind === 'rupture');
      ruptures[role] = rups.length / raters.length;
      const statuses = list.ruptureStatus.filter((st) => rups.some((r) => r.id === st.ruptureId));
      resolution[role] = statuses.length
        ? statuses.reduce((a, st) => a + (st.status === 'repaired' ? 1 : st.status === 'partly' ? 0.5 : 0), 0) /
          statuses.length
        : null;
    }
    for (const resp of core.responses.forSession(s.id)) {
      if (responders && !responders.has(resp.raterId)) continue;
      if (resp.instrument.startsWith('psr-')) {
        if (typeof resp.answers.tension === 'boolean') ruptures[resp.perspective] = resp.answers.tension ? 1 : 0;
        if (typeof resp.answers.resolved === 'number') resolution[resp.perspective] = (resp.answers.resolved - 1) / 4;
      }
      if (resp.instrument === 'wai-sr' && resp.scores.total !== null) alliance[resp.perspective] = resp.scores.total;
    }
    return { session_id: s.id, number: s.number, date: s.date, ruptures, resolution, alliance };
  });
  return { case: c.code, sessions };
}

/**
 * Calibration: a rater against a reference rater (a supervisor's or an expert's coding of a
 * training session). Per-code agreement, and which of the reference's ruptures the rater missed
 * and which ruptures the rater added (onsets matched within the window).
 */
export function calibration(
  core: AgreementDeps,
  sessionId: number,
  raterId: number,
  referenceId: number,
  opts = { unitMs: 1000, toleranceMs: 0, windowMs: 3000 },
) {
  const { annotations } = core;
  if (raterId === referenceId)
    throw new AppError('INVALID_INPUT', 'Choose a reference rater other than the rater being calibrated.');
  const raters = annotations.raters();
  const rater = raters.find((r) => r.id === raterId);
  const reference = raters.find((r) => r.id === referenceId);
  if (!rater || !reference) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
  const all = annotations.list(sessionId).segments.filter((s) => s.kind === 'rupture');
  const mine = all.filter((s) => s.raterId === raterId);
  const ref = all.filter((s) => s.raterId === referenceId);
  const spans = [...mine, ...ref].flatMap((s) =>
    (s.codes.length ? s.codes : [s.ruptureType ?? 'rupture']).map((code) => ({
      rater: s.raterId === raterId ? rater.name : reference.name,
      code,
      startMs: s.startMs,
      endMs: s.endMs,
    })),
  );
  const report = segmentsReport(spans, {
    ...opts,
    durationMs: annotations.sessionDurationMs(sessionId),
    raters: [rater.name, reference.name],
  });
  // Missed / added: one-to-one onset matching of whole ruptures, regardless of code.
  const used = new Set<number>();
  const matchedMine = new Set<number>();
  for (const r of [...ref].sort((a, b) => a.startMs - b.startMs)) {
    const hit = mine
      .filter((m) => !matchedMine.has(m.id) && Math.abs(m.startMs - r.startMs) <= opts.windowMs)
      .sort((a, b) => Math.abs(a.startMs - r.startMs) - Math.abs(b.startMs - r.startMs))[0];
    if (hit) {
      matchedMine.add(hit.id);
      used.add(r.id);
    }
  }
  const brief = (s: (typeof all)[number]) => ({ id: s.id, startMs: s.startMs, endMs: s.endMs, codes: s.codes });
  return {
    rater: rater.name,
    reference: reference.name,
    pair: report.pairs[0] ?? null,
    missed: ref.filter((r) => !used.has(r.id)).map(brief),
    added: mine.filter((m) => !matchedMine.has(m.id)).map(brief),
  };
}

/** Who rates which sessions, with due dates. */
export function assignments(core: AgreementDeps, sessionId: number) {
  return core.perspectiveRepos.assignments.forSession(sessionId);
}

export function assign(core: AgreementDeps, sessionId: number, raterId: number, dueDate: string | null) {
  core.library.getSession(sessionId);
  core.policy.assertCanActAs(raterId);
  core.perspectiveRepos.assignments.set(sessionId, raterId, dueDate);
  return assignments(core, sessionId);
}

export function unassign(core: AgreementDeps, sessionId: number, raterId: number) {
  core.library.getSession(sessionId);
  core.perspectiveRepos.assignments.remove(sessionId, raterId);
  return assignments(core, sessionId);
}
