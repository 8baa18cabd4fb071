/**
 * One handler per contract channel. Handlers receive input already validated by zod and call
 * the core services. The one rule they add is blind rating for the person at the machine (the
 * current rater), so that every host shows the same things; the CLI works on files and sees all.
 */
import { parseCodebook } from '../../shared/codebook';
import type { AppInfo, Channel, ChannelOutput, ChannelParsed } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import {
  assign,
  assignments,
  calibration,
  caseTimeline,
  perspectivesReport,
  sessionAgreement,
  unassign,
} from '../core/agreement';
import type { Core } from '../core/app';
import type { Dialogs } from '../platform/types';

export type Handler<C extends Channel> = (input: ChannelParsed<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export interface HostInfo {
  host: AppInfo['host'];
  version: string;
}

export function createHandlers(core: Core, dialogs: Dialogs, info: HostInfo): HandlerTable {
  const { library, imports, annotations } = core;
  /** What the current rater may see in a session (blind rating); every host applies the same rule. */
  const visibleTo = (sessionId: number) => annotations.visibleRaters(sessionId, annotations.currentRater()?.id ?? 0);
  const blind = () =>
    new AppError(
      'INVALID_INPUT',
      "Blind rating: submit your own rating of this session before looking at other raters' work.",
    );
  const requireRater = () => {
    const r = annotations.currentRater();
    if (!r) throw new AppError('INVALID_INPUT', 'Choose who is rating first.');
    return r;
  };
  return {
    'app:info': () => ({ ...info, dataDir: core.dataDir }),
    'cases:list': () => library.listCases(),
    'cases:create': (i) => library.createCase(i),
    'cases:update': (i) => library.updateCase(i),
    'cases:delete': (i) => library.deleteCase(i.id),
    'sessions:create': (i) => library.createSession(i),
    'sessions:update': (i) => library.updateSession(i),
    'sessions:delete': (i) => library.deleteSession(i.id),
    'sessions:get': (i) => library.sessionDetail(i.id),
    'sessions:savePosition': (i) => library.savePosition(i.id, i.positionMs),
    'recordings:import': (i) => imports.start(i.sessionId, i.paths, { offsetMs: i.offsetMs, copy: i.copy }),
    'imports:list': () => imports.list(),
    'imports:cancel': (i) => imports.cancel(i.jobId),
    'recordings:update': (i) => library.setOffset(i.id, i.offsetMs),
    'recordings:remove': (i) => library.removeRecording(i.id),
    'recordings:relink': (i) => library.relink(i.id, i.path),
    'recordings:peaks': (i) => library.peaks(i.id, i.level),
    'dialogs:openMedia': () => dialogs.openMedia(),
    'raters:list': () => annotations.raters(),
    'raters:create': (i) => annotations.createRater(i.name, i.role),
    'raters:current': () => annotations.currentRater(),
    'raters:setCurrent': (i) => annotations.setCurrentRater(i.id),
    'prefs:get': () => annotations.preferences(),
    'prefs:set': (i) => annotations.setPreferences(i),
    'codebook:get': () => annotations.codebook(),
    'codebook:save': (i) => annotations.saveCodebook(i.definition),
    'codebook:import': (i) => {
      const parsed = parseCodebook(i.text);
      if (!parsed.ok) throw new AppError('INVALID_INPUT', `The codebook was not imported. ${parsed.message}`);
      return annotations.saveCodebook(parsed.value);
    },
    'codebook:export': () => ({ json: JSON.stringify(annotations.codebook().definition, null, 2) }),
    // Without a chosen rater nobody's work is shown (blind by default); 0 is no rater's id.
    'segments:open': (i) => {
      const current = annotations.currentRater();
      return {
        annotations: annotations.list(i.sessionId, current?.id ?? 0),
        codebook: annotations.codebook(),
        raters: annotations.raters(),
        current,
        prefs: annotations.preferences(),
      };
    },
    'segments:list': (i) => annotations.list(i.sessionId, annotations.currentRater()?.id ?? 0),
    'segments:create': (i) => annotations.create(i),
    'segments:update': (i) => annotations.update(i),
    'segments:delete': (i) => annotations.delete(i.id),
    'segments:link': (i) => annotations.link(i.repairId, i.ruptureId),
    'segments:unlink': (i) => annotations.unlink(i.repairId, i.ruptureId),
    'segments:history': (i) => annotations.history(i.sessionId, i.raterId ?? annotations.currentRater()?.id ?? null),
    'segments:undo': (i) =>
      annotations.undo(i.sessionId, i.raterId ?? requireRater().id, annotations.currentRater()?.id ?? null),
    'segments:redo': (i) =>
      annotations.redo(i.sessionId, i.raterId ?? requireRater().id, annotations.currentRater()?.id ?? null),
    'ratings:submit': (i) => annotations.submit(i.sessionId, requireRater().id),
    'ratings:revise': (i) => annotations.revise(i.sessionId, requireRater().id, i.reason),
    'consensus:accept': (i) => annotations.acceptIntoConsensus(i.segmentIds, requireRater().id),
    'instruments:list': () => core.responses.instruments(),
    'instruments:import': (i) => core.responses.importInstrument(i.text),
    'responses:list': (i) => core.responses.forSession(i.sessionId),
    'responses:save': (i) => core.responses.save(i),
    'agreement:session': (i) => sessionAgreement(core, i.sessionId, i, visibleTo(i.sessionId)),
    'perspectives:case': (i) => caseTimeline(core, i.caseId),
    'perspectives:report': (i) => perspectivesReport(core, i.caseCode),
    'agreement:calibration': (i) => {
      const visible = visibleTo(i.sessionId);
      if (visible && (!visible.has(i.raterId) || !visible.has(i.referenceId))) throw blind();
      return calibration(core, i.sessionId, i.raterId, i.referenceId);
    },
    'assignments:list': (i) => assignments(core, i.sessionId),
    'assignments:set': (i) => assign(core, i.sessionId, i.raterId, i.dueDate),
    'assignments:remove': (i) => unassign(core, i.sessionId, i.raterId),
    'sessions:summary': (i) => {
      // Blind rating: a summary of someone else's unsubmitted work stays hidden too.
      const raterId = i.raterId ?? annotations.currentRater()?.id ?? 0;
      const visible = visibleTo(i.sessionId);
      if (visible && !visible.has(raterId)) throw blind();
      return annotations.summary(i.sessionId, raterId);
    },
    'grid:get': (i) => annotations.grid(i.sessionId, i.raterId, i.segmentMs),
    'grid:setCell': (i) => annotations.setGridCell(i),
    'grid:setSession': (i) => annotations.setGridSession(i),
    'grid:prefill': (i) => annotations.prefillGrid(i.sessionId, i.raterId, i.segmentMs),
  };
}
