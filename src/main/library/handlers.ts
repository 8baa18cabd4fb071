/** Library: cases, sessions, recordings, imports. No rater's work is involved here. */
import type { Core } from '../app';
import type { Dialogs } from '../platform/types';
import type { HandlerSlice } from '../rpc/types';
import { AppError } from '../../shared/errors';

export function libraryHandlers(core: Core, dialogs: Dialogs) {
  const { library, imports, scrub } = core;
  // Deleting a case, session or recording deletes the scrub aids of its recordings too.
  const thenSweep = <T>(result: T): T => {
    scrub.sweep();
    return result;
  };
  return {
    'cases:list': () => library.listCases(),
    'cases:create': (i) => library.createCase(i),
    'cases:update': (i) => library.updateCase(i),
    'cases:delete': (i) => thenSweep(library.deleteCase(i.id)),
    'sessions:create': (i) => library.createSession(i),
    'sessions:update': (i) => library.updateSession(i),
    'sessions:delete': (i) => thenSweep(library.deleteSession(i.id)),
    'library:deleteImpact': (i) => library.deleteImpact(i),
    'sessions:get': (i) => library.sessionDetail(i.id),
    'sessions:savePosition': (i) => library.savePosition(i.id, i.positionMs),
    'recordings:import': (i) => {
      if (i.offsetsMs && i.offsetsMs.length !== i.paths.length)
        throw new AppError(
          'INVALID_INPUT',
          `${i.offsetsMs.length} offsets were given for ${i.paths.length} files: give one per file.`,
        );
      return imports.start(i.sessionId, i.paths, { offsetMs: i.offsetMs, copy: i.copy }, i.offsetsMs);
    },
    'imports:list': () => imports.list(),
    'imports:cancel': (i) => imports.cancel(i.jobId),
    'recordings:update': (i) => library.setOffset(i.id, i.offsetMs),
    'recordings:remove': (i) => thenSweep(library.removeRecording(i.id)),
    'recordings:relink': (i) => library.relink(i.id, i.path),
    'recordings:peaks': (i) => library.peaks(i.id, i.level),
    'dialogs:openMedia': () => dialogs.openMedia(),
  } satisfies HandlerSlice<
    | 'cases:list'
    | 'cases:create'
    | 'cases:update'
    | 'cases:delete'
    | 'sessions:create'
    | 'sessions:update'
    | 'sessions:delete'
    | 'library:deleteImpact'
    | 'sessions:get'
    | 'sessions:savePosition'
    | 'recordings:import'
    | 'imports:list'
    | 'imports:cancel'
    | 'recordings:update'
    | 'recordings:remove'
    | 'recordings:relink'
    | 'recordings:peaks'
    | 'dialogs:openMedia'
  >;
}
