/**
 * Coding: raters, codebook, segments and their history, ratings, the consensus lane, the 3RS
 * grid and the summary. Every call acts as the person at the machine (the current rater) and
 * passes the policy: own work only, the submitted lock, blind rating, the consensus lane.
 */
import type { EditedSegment, Segment } from '../../shared/annotations';
import { parseCodebook } from '../../shared/codebook';
import { AppError } from '../../shared/errors';
import type { Core } from '../app';
import { summarize } from './summary';
import { raterErasure } from '../protection/rater-erasure';
import { AT_THE_MACHINE, type Caller, type HandlerSlice } from '../rpc/types';

export function codingHandlers(core: Core, caller: Caller = AT_THE_MACHINE) {
  const { raters, codebook, segments, ratings, consensus, grid, policy } = core;
  const viewer = () => caller.viewer(core);
  const me = () => policy.requireViewer(viewer());
  /** The lane a history call is about: the viewer's own, unless they name another (the consensus lane). */
  const lane = (raterId: number | undefined) => raterId ?? me().id;
  /** An edited segment with the undo state of its lane after the edit, in one answer. */
  const edited = (s: Segment): EditedSegment => ({ ...s, history: segments.history(s.sessionId, s.raterId) });
  return {
    'raters:list': () => raters.list(),
    'raters:create': (i) => raters.create(i.name, i.role),
    'raters:current': () => raters.current(),
    'raters:setCurrent': (i) => raters.setCurrent(i.id),
    'raters:deleteImpact': (i) => {
      policy.assertSupervisor(viewer(), 'erases raters');
      return { words: raterErasure(core, i.id).words };
    },
    'raters:delete': (i) => {
      policy.assertSupervisor(viewer(), 'erases raters');
      const v = viewer();
      if (v !== 'all' && v?.id === i.id)
        throw new AppError('INVALID_INPUT', 'Choose another rater before erasing yourself.');
      const e = raterErasure(core, i.id);
      const done = e.erase();
      core.audit.record('rater.delete', `rater #${e.rater.id} (${e.rater.role})`, {});
      return { deleted: true as const, ...done };
    },
    'prefs:get': () => raters.preferences(),
    'prefs:set': (i) => raters.setPreferences(i),
    'codebook:get': () => codebook.current(),
    'codebook:save': (i) => codebook.save(i.definition),
    'codebook:import': (i) => {
      const parsed = parseCodebook(i.text);
      if (!parsed.ok) throw new AppError('INVALID_INPUT', `The codebook was not imported. ${parsed.message}`);
      return codebook.save(parsed.value);
    },
    'codebook:export': () => ({ json: JSON.stringify(codebook.current().definition, null, 2) }),
    'segments:open': (i) => {
      const current = viewer();
      return {
        annotations: segments.list(i.sessionId, current),
        codebook: codebook.current(),
        raters: raters.list(),
        current: current === 'all' ? null : current,
        prefs: raters.preferences(),
      };
    },
    'segments:list': (i) => segments.list(i.sessionId, viewer()),
    'segments:create': (i) => edited(segments.create(i, viewer())),
    'segments:update': (i) => edited(segments.update(i, viewer())),
    'segments:delete': (i) => {
      const gone = segments.delete(i.id, viewer());
      return { deleted: true as const, history: segments.history(gone.sessionId, gone.raterId) };
    },
    'segments:link': (i) => edited(segments.link(i.repairId, i.ruptureId, viewer())),
    'segments:unlink': (i) => edited(segments.unlink(i.repairId, i.ruptureId, viewer())),
    'segments:history': (i) => {
      const v = viewer();
      if (v === 'all') return segments.history(i.sessionId, i.raterId ?? null);
      if (!v) return segments.history(i.sessionId, null);
      const raterId = lane(i.raterId);
      // Another lane's history labels describe its work: only a lane one may write is shown.
      policy.assertCanSee(i.sessionId, raterId, v);
      if (raterId !== v.id && !(policy.isConsensus(raterId) && v.role === 'supervisor'))
        throw new AppError(
          'FORBIDDEN',
          "Only a rater's own history (or, for a supervisor, the consensus lane's) is shown.",
        );
      return segments.history(i.sessionId, raterId);
    },
    'segments:undo': (i) => {
      segments.undo(i.sessionId, lane(i.raterId), viewer());
      return segments.list(i.sessionId, viewer());
    },
    'segments:redo': (i) => {
      segments.redo(i.sessionId, lane(i.raterId), viewer());
      return segments.list(i.sessionId, viewer());
    },
    'ratings:submit': (i) => ratings.submit(i.sessionId, me().id, viewer()),
    'ratings:revise': (i) => ratings.revise(i.sessionId, me().id, i.reason, viewer()),
    'consensus:accept': (i) => consensus.accept(i.segmentIds, viewer()),
    'sessions:summary': (i) => {
      const v = viewer();
      const raterId = i.raterId ?? (v === 'all' ? null : v?.id) ?? null;
      if (raterId !== null) policy.assertCanSee(i.sessionId, raterId, v);
      // The list is already what the viewer may see (and answers NOT_FOUND for a deleted session).
      return summarize(i.sessionId, raterId, segments.list(i.sessionId, v).segments);
    },
    'grid:get': (i) => grid.grid(i.sessionId, i.raterId, i.segmentMs, viewer()),
    'grid:setCell': (i) => grid.setCell(i, viewer()),
    'grid:setSession': (i) => grid.setSession(i, viewer()),
    'grid:prefill': (i) => grid.prefill(i.sessionId, i.raterId, i.segmentMs, viewer()),
  } satisfies HandlerSlice<
    | 'raters:list'
    | 'raters:create'
    | 'raters:current'
    | 'raters:deleteImpact'
    | 'raters:delete'
    | 'raters:setCurrent'
    | 'prefs:get'
    | 'prefs:set'
    | 'codebook:get'
    | 'codebook:save'
    | 'codebook:import'
    | 'codebook:export'
    | 'segments:open'
    | 'segments:list'
    | 'segments:create'
    | 'segments:update'
    | 'segments:delete'
    | 'segments:link'
    | 'segments:unlink'
    | 'segments:history'
    | 'segments:undo'
    | 'segments:redo'
    | 'ratings:submit'
    | 'ratings:revise'
    | 'consensus:accept'
    | 'sessions:summary'
    | 'grid:get'
    | 'grid:setCell'
    | 'grid:setSession'
    | 'grid:prefill'
  >;
}
