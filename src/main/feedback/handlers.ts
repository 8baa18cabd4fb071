/** Feedback: comments and replies, acting as the current rater (the policy decides who takes part). */
import type { Core } from '../app';
import { caseReportHtml } from '../reports/case-report';
import { reportData } from '../reports/report';
import { reportHtml } from '../reports/report-html';
import { AppError } from '../../shared/errors';
import type { Dialogs } from '../platform/types';
import { AT_THE_MACHINE, type Caller, type HandlerSlice } from '../rpc/types';

export function feedbackHandlers(core: Core, dialogs: Dialogs, caller: Caller = AT_THE_MACHINE) {
  const { feedback } = core;
  const me = () => caller.viewer(core);
  /** Who writes: a person (the command line names one with --author). */
  const writer = () => {
    const v = caller.viewer(core);
    return v === 'all' ? core.policy.requireViewer(v) : v;
  };
  const html = (i: { sessionId: number; names: boolean } | { caseId: number; names: boolean }) =>
    'caseId' in i
      ? caseReportHtml(core, i.caseId, me(), { names: i.names })
      : reportHtml(reportData(core, i.sessionId, me(), { names: i.names }));
  return {
    'feedback:list': (i) => feedback.list(i.sessionId, me()),
    'feedback:counts': () => feedback.counts(me()),
    'feedback:add': (i) => feedback.add(i, writer()),
    'feedback:reply': (i) => feedback.reply(i.threadId, i.text, writer()),
    'feedback:setState': (i) => feedback.setState(i.threadId, i.state, writer()),
    'feedback:edit': (i) => feedback.edit(i.id, i.text, i.label, writer()),
    'feedback:delete': (i) => feedback.remove(i.id, writer()),
    'feedback:markRead': (i) => feedback.markRead(i.ids, writer()),
    'feedback:setHold': (i) =>
      feedback.setHold('sessionId' in i ? { sessionId: i.sessionId } : { caseId: i.caseId }, i.hold, me()),
    'feedback:labels': () => feedback.labels(),
    'feedback:setLabels': (i) => feedback.setLabels(i.labels, me()),
    'report:html': (i) => ({ html: html(i) }),
    'report:caseHtml': (i) => ({ html: html(i) }),
    'report:savePdf': async (i) => {
      const page = html(i); // refusals (a deleted session, blind rating) come first
      if (!dialogs.savePdf)
        throw new AppError(
          'INVALID_INPUT',
          'Saving a PDF directly needs the desktop app; use "Print or save as PDF…".',
        );
      const where = 'caseId' in i ? `case-${i.caseId}` : `session-${i.sessionId}`;
      return { path: await dialogs.savePdf(page, `supervision-report-${where}.pdf`) };
    },
    'clips:export': (i) => {
      // What cannot be cut is said now; the cutting itself runs on and reports as events.
      core.library.getSession(i.sessionId);
      return core.clips.start(i, me());
    },
    'clips:cancel': (i) => core.clips.cancel(i.id),
    'playlists:export': (i) => {
      core.library.getSession(i.sessionId);
      return core.clips.startPlaylist(i, me());
    },
  } satisfies HandlerSlice<
    | 'feedback:list'
    | 'feedback:counts'
    | 'feedback:add'
    | 'feedback:reply'
    | 'feedback:setState'
    | 'feedback:edit'
    | 'feedback:delete'
    | 'feedback:markRead'
    | 'feedback:labels'
    | 'feedback:setLabels'
    | 'feedback:setHold'
    | 'report:html'
    | 'report:caseHtml'
    | 'report:savePdf'
    | 'clips:export'
    | 'clips:cancel'
    | 'playlists:export'
  >;
}
