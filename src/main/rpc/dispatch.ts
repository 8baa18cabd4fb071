/**
 * The boundary: validate input with the channel's zod schema, run the handler, and turn every
 * outcome into a Result. No raw exception crosses it.
 */
import { channels, type Channel } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { issueMessage } from '../../shared/contract/issue-message';
import { toShape } from './errors';
import type { HandlerTable } from './handlers';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export async function dispatch(handlers: HandlerTable, channel: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request ${String(channel)}.` } };
  }
  const parsed = channels[channel].input.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: issueMessage(parsed.error.issues[0]!) } };
  }
  try {
    const handler = handlers[channel] as (i: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    const shape = toShape(error);
    if (shape.code === 'INTERNAL') console.error(`[${channel}]`, error);
    return { ok: false, error: shape };
  }
}
