/**
 * Runs long work that Ctrl+C (or a polite kill) cancels through an AbortSignal; the work removes
 * what it had started. Also checks the --pad option both exports share.
 */
import { AppError } from '../shared/errors';

export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `--pad SECONDS` in milliseconds (0 to 600 s). */
export function padOption(value: string | undefined, fallbackSeconds: number): number {
  const pad = value === undefined ? fallbackSeconds : Number(value);
  if (!Number.isFinite(pad) || pad < 0 || pad > 600)
    throw new AppError('INVALID_INPUT', `--pad is seconds of context, 0 to 600, not "${value}".`);
  return Math.round(pad * 1000);
}
