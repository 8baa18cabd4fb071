import type { Channel, ChannelOutput, ChannelParsed, EventMap, EventName } from '../../shared/contract';

export type Handler<C extends Channel> = (input: ChannelParsed<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
/** The handlers of some channels: each domain contributes one slice of the table. */
export type HandlerSlice<C extends Channel> = { [K in C]: Handler<K> };
export type HandlerTable = HandlerSlice<Channel>;

/** Sends an event to the app's window (progress of long work); every room that reports progress takes one. */
export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;
