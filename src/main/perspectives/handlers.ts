/**
 * Perspectives: questionnaires, agreement, calibration, the case over time, assignments. Every
 * read that could reveal another rater's work is filtered by blind rating (the policy).
 */
import type { Core } from '../app';
import {
  assign,
  assignments,
  calibration,
  caseTimeline,
  perspectivesReport,
  sessionAgreement,
  studyAgreement,
  unassign,
} from '../agreement/agreement';
import { AT_THE_MACHINE, type Caller, type HandlerSlice } from '../rpc/types';

export function perspectiveHandlers(core: Core, caller: Caller = AT_THE_MACHINE) {
  const { policy, responses } = core;
  const viewer = () => caller.viewer(core);
  const visibleRaters = (sessionId: number) => policy.visibleRaters(sessionId, viewer());
  const visibleFor = (sessionId: number) => ({
    raters: visibleRaters(sessionId),
    responders: policy.visibleResponders(sessionId, viewer()),
  });
  return {
    'instruments:list': () => responses.instruments(),
    'instruments:import': (i) => responses.importInstrument(i.text),
    'responses:list': (i) => {
      core.library.getSession(i.sessionId);
      const visible = policy.visibleResponders(i.sessionId, viewer());
      return responses.forSession(i.sessionId).filter((r) => !visible || visible.has(r.raterId));
    },
    'responses:save': (i) => responses.save(i, viewer()),
    'agreement:session': (i) => {
      core.library.getSession(i.sessionId);
      return sessionAgreement(core, i.sessionId, i, visibleRaters(i.sessionId));
    },
    'agreement:study': (i) =>
      studyAgreement(core, i.caseCode, i, (sessionId, ratings) => policy.visibleRaters(sessionId, viewer(), ratings)),
    'perspectives:case': (i) => caseTimeline(core, i.caseId, visibleFor),
    'perspectives:report': (i) => perspectivesReport(core, i.caseCode, visibleFor),
    'agreement:calibration': (i) => {
      policy.assertCanSee(i.sessionId, i.raterId, viewer());
      policy.assertCanSee(i.sessionId, i.referenceId, viewer());
      return calibration(core, i.sessionId, i.raterId, i.referenceId);
    },
    'assignments:list': (i) => {
      core.library.getSession(i.sessionId);
      return assignments(core, i.sessionId);
    },
    'assignments:set': (i) => {
      policy.assertSupervisor(viewer(), 'assigns raters to sessions');
      return assign(core, i.sessionId, i.raterId, i.dueDate);
    },
    'assignments:remove': (i) => {
      policy.assertSupervisor(viewer(), 'removes assignments');
      return unassign(core, i.sessionId, i.raterId);
    },
  } satisfies HandlerSlice<
    | 'instruments:list'
    | 'instruments:import'
    | 'responses:list'
    | 'responses:save'
    | 'agreement:session'
    | 'agreement:study'
    | 'perspectives:case'
    | 'perspectives:report'
    | 'agreement:calibration'
    | 'assignments:list'
    | 'assignments:set'
    | 'assignments:remove'
  >;
}
