/** Feedback: comments and replies, acting as the current rater (the policy decides who takes part). */
import type { Core } from '../../core/app';
import { caseReportHtml } from '../../core/case-report';
import { reportData } from '../../core/report';
import { reportHtml } from '../../core/report-html';
import type { HandlerSlice } from './types';

export function feedbackHandlers(core: Core) {
  const { feedback, raters } = core;
  const me = () => raters.current();
  return {
    'feedback:list': (i) => feedback.list(i.sessionId, me()),
    'feedback:counts': () => feedback.counts(me()),
    'feedback:add': (i) => feedback.add(i, me()),
    'feedback:reply': (i) => feedback.reply(i.threadId, i.text, me()),
    'feedback:setState': (i) => feedback.setState(i.threadId, i.state, me()),
    'feedback:edit': (i) => feedback.edit(i.id, i.text, i.label, me()),
    'feedback:delete': (i) => feedback.remove(i.id, me()),
    'feedback:markRead': (i) => feedback.markRead(i.ids, me()),
    'feedback:labels': () => feedback.labels(),
    'feedback:setLabels': (i) => feedback.setLabels(i.labels, me()),
    'report:html': (i) => ({ html: reportHtml(reportData(core, i.sessionId, me(), { names: i.names })) }),
    'report:caseHtml': (i) => ({ html: caseReportHtml(core, i.caseId, me(), { names: i.names }) }),
    'clips:export': (i) => {
      // What cannot be cut is said now; the cutting itself runs on and reports as events.
      core.library.getSession(i.sessionId);
      return core.clips.start(i, me());
    },
    'clips:cancel': (i) => core.clips.cancel(i.id),
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
    | 'report:html'
    | 'report:caseHtml'
    | 'clips:export'
    | 'clips:cancel'
  >;
}
