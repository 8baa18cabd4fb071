/**
 * Who speaks when, automatic alignment and the scrub aids for the app. Speech and offsets describe the
 * recordings, not anyone's ratings, so every viewer may read them; lane names and offsets are
 * library settings, changed as `recordings:update` changes an offset.
 */
import type { Core } from '../app';
import type { HandlerSlice } from '../rpc/types';

export function talkHandlers(
  core: Core,
): HandlerSlice<'talk:session' | 'talk:analyze' | 'talk:nameLane' | 'recordings:align' | 'scrub:status'> {
  return {
    'talk:session': (i) => core.talk.session(i.sessionId, i.silenceMs),
    'talk:analyze': (i) => core.talk.analyze(i.sessionId),
    'talk:nameLane': (i) => core.talk.setSpeakerName(i.caseId, i.laneKey, i.name),
    'recordings:align': (i) => core.talk.align(i.sessionId, i.apply),
    'scrub:status': (i) => {
      core.library.getSession(i.sessionId);
      return core.scrub.list(i.sessionId);
    },
  };
}
