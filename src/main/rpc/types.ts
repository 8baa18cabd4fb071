import type { Channel, ChannelOutput, ChannelParsed } from '../../shared/contract';

export type Handler<C extends Channel> = (input: ChannelParsed<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
/** The handlers of some channels: each domain contributes one slice of the table. */
export type HandlerSlice<C extends Channel> = { [K in C]: Handler<K> };
export type HandlerTable = HandlerSlice<Channel>;
