/**
 * The command line's way through the front door: a CLI command that has a contract channel calls
 * it here, through the same dispatch as the app (zod validation with the contract's messages, the
 * policy, the audit log) as the command-line caller (seeing all, or acting as a rater it names
 * with --author or --rater). Only parsing argv and printing stay in the command.
 */
import type { Rater } from '../../shared/annotations';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { APP_VERSION } from '../../shared/version';
import type { Core } from '../app';
import { noDialogs } from '../platform/types';
import { dispatch } from '../rpc/dispatch';
import { createHandlers } from '../rpc/handlers';
import { commandLine, type CliCall, type HandlerTable } from '../rpc/types';

export type { CliCall } from '../rpc/types';

/** Calls that go through the dispatch, by channel, for the test that proves the CLI uses it. */
export const cliCalls: Channel[] = [];

export function cliDispatcher(core: Core): CliCall {
  const tables = new Map<number | 'all', HandlerTable>();
  const info = { host: 'cli' as const, version: APP_VERSION };
  return async <C extends Channel>(channel: C, input: ChannelInput<C>, as?: Rater) => {
    const key = as?.id ?? 'all';
    let handlers = tables.get(key);
    if (!handlers) tables.set(key, (handlers = createHandlers(core, noDialogs, info, commandLine(as))));
    cliCalls.push(channel);
    const r = await dispatch(handlers, channel, input);
    if (!r.ok) throw new AppError(r.error.code, r.error.message);
    return r.value as ChannelOutput<C>;
  };
}
