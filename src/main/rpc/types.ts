import type { Rater } from '../../shared/annotations';
import type { Channel, ChannelInput, ChannelOutput, ChannelParsed, EventMap, EventName } from '../../shared/contract';
import type { Viewer } from './policy';

export type Handler<C extends Channel> = (input: ChannelParsed<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
/** The handlers of some channels: each domain contributes one slice of the table. */
export type HandlerSlice<C extends Channel> = { [K in C]: Handler<K> };
export type HandlerTable = HandlerSlice<Channel>;

/** Sends an event to the app's window (progress of long work); every room that reports progress takes one. */
export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/**
 * Who calls the table: the person at the machine (the app, the browser host) acts as the current
 * rater; the command line acts as itself, seeing everything the policy lets the command line see
 * ('all'), or as a rater it names (--author, --rater). The rules are the same; only the viewer differs.
 */
export interface Caller {
  viewer(core: { raters: { current(): Rater | null } }): Viewer | 'all';
}

/** The app and the browser host: the current rater. */
export const AT_THE_MACHINE: Caller = { viewer: (core) => core.raters.current() };

/** The command line: everything it may see, or acting as `as`. */
export function commandLine(as?: Rater): Caller {
  return { viewer: () => as ?? 'all' };
}

/** A channel called by the command line through the one dispatch (hosts/cli-dispatch.ts), as itself or as `as`. */
export type CliCall = <C extends Channel>(channel: C, input: ChannelInput<C>, as?: Rater) => Promise<ChannelOutput<C>>;
