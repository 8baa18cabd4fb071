/**
 * One handler per contract channel. Handlers receive input already validated by zod and call
 * the core services; they hold no logic of their own.
 */
import type { AppInfo, Channel, ChannelOutput, ChannelParsed } from '../../shared/contract';
import type { Core } from '../core/app';
import type { Dialogs } from '../platform/types';

export type Handler<C extends Channel> = (input: ChannelParsed<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export interface HostInfo {
  host: AppInfo['host'];
  version: string;
}

export function createHandlers(core: Core, dialogs: Dialogs, info: HostInfo): HandlerTable {
  const { library, imports } = core;
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
  };
}
