/**
 * The handler table: one handler per contract channel, composed from one slice per domain (the
 * way Actual composes its handler tables). Handlers receive input already validated by zod and
 * call the core services as the person at the machine (the current rater); the rules about who
 * may see and change what live in core/policy.ts. The CLI uses the services directly and sees all.
 */
import type { AppInfo } from '../../shared/contract';
import type { Core } from '../core/app';
import type { Dialogs } from '../platform/types';
import { codingHandlers } from './handlers/coding';
import { feedbackHandlers } from './handlers/feedback';
import { interopHandlers } from './handlers/interop';
import { libraryHandlers } from './handlers/library';
import { perspectiveHandlers } from './handlers/perspectives';
import { talkHandlers } from './handlers/talk';
import { packageHandlers } from './handlers/packages';
import type { HandlerTable } from './handlers/types';
import { withAudit } from './audited';

export type { Handler, HandlerTable } from './handlers/types';

export interface HostInfo {
  host: AppInfo['host'];
  version: string;
}

export function createHandlers(core: Core, dialogs: Dialogs, info: HostInfo): HandlerTable {
  return withAudit(core, {
    'app:info': () => ({ ...info, dataDir: core.dataDir }),
    ...libraryHandlers(core, dialogs),
    ...codingHandlers(core),
    ...perspectiveHandlers(core),
    ...feedbackHandlers(core, dialogs),
    ...interopHandlers(core),
    ...talkHandlers(core),
    ...packageHandlers(core, dialogs),
  });
}
