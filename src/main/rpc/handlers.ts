/**
 * The handler table: one handler per contract channel, composed from one slice per domain (the
 * way Actual composes its handler tables). Handlers receive input already validated by zod and
 * call the core services as their caller: the person at the machine (the current rater), or the
 * command line (hosts/cli-dispatch.ts); the rules about who may see and change what live in
 * rpc/policy.ts.
 */
import { CHANNEL_NAMES, type AppInfo, type Channel } from '../../shared/contract';
import type { Core } from '../app';
import { LibraryGate } from '../protection/gate';
import type { Dialogs } from '../platform/types';
import { codingHandlers } from '../coding/handlers';
import { feedbackHandlers } from '../feedback/handlers';
import { interopHandlers } from '../interop/handlers';
import { libraryHandlers } from '../library/handlers';
import { perspectiveHandlers } from '../perspectives/handlers';
import { talkHandlers } from '../talk/handlers';
import { packageHandlers } from '../packages/handlers';
import { transcribeHandlers } from '../transcribe/handlers';
import { AT_THE_MACHINE, type Caller, type HandlerSlice, type HandlerTable } from './types';
import { lockHandlers, type LockChannel } from '../protection/handlers';
import { withAudit } from './audited';

export type { Handler, HandlerTable } from './types';

export interface HostInfo {
  host: AppInfo['host'];
  version: string;
}

/**
 * The whole table, served through the gate: the lock slice answers always; every other channel
 * answers LOCKED while a protected library is locked, and otherwise goes to the handlers of the
 * core that is open now (made again when the library is opened again). Given a core instead of
 * a gate (tests), the table serves that core as a library without a passphrase.
 */
export function createHandlers(
  target: Core | LibraryGate,
  dialogs: Dialogs,
  info: HostInfo,
  /** Who calls: the person at the machine (the app, the browser host) or the command line. */
  caller: Caller = AT_THE_MACHINE,
): HandlerTable {
  const gate = target instanceof LibraryGate ? target : LibraryGate.around(target);
  let cached: { core: Core; table: CoreHandlerTable } | null = null;
  const forCore = (): CoreHandlerTable => {
    const core = gate.requireCore();
    if (cached?.core !== core) cached = { core, table: coreHandlers(core, dialogs, caller) };
    return cached.table;
  };
  const table: Record<string, (input: unknown) => unknown> = {};
  for (const name of CHANNEL_NAMES) {
    table[name] = (input) => (forCore() as Record<string, (i: unknown) => unknown>)[name]!(input);
  }
  return {
    ...(table as HandlerTable),
    'app:info': () => ({ ...info, dataDir: gate.dataDir }),
    ...lockHandlers(gate),
  };
}

type CoreHandlerTable = HandlerSlice<Exclude<Channel, LockChannel | 'app:info' | 'backups:restore'>>;

function coreHandlers(core: Core, dialogs: Dialogs, caller: Caller): CoreHandlerTable {
  return withAudit(core, {
    ...libraryHandlers(core, dialogs),
    ...codingHandlers(core, caller),
    ...perspectiveHandlers(core, caller),
    ...feedbackHandlers(core, dialogs, caller),
    ...interopHandlers(core, caller),
    ...talkHandlers(core),
    ...transcribeHandlers(core),
    ...packageHandlers(core, dialogs, caller),
  });
}
