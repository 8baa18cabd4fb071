/**
 * Wrong passphrases are slowed down: after a few, each further attempt must wait, doubling up to
 * a minute, so guessing over the browser host's /rpc (or any host) cannot run at scrypt's speed.
 * A right passphrase resets it. While a wait runs, every attempt is refused at once, the right
 * passphrase too (otherwise the wait would tell nothing and cost nothing).
 */
import { AppError } from '../../shared/errors';

export class AttemptThrottle {
  private failures = 0;
  private until = 0;

  constructor(
    /** Wrong attempts allowed before the first wait. */
    private readonly free = 3,
    /** The longest wait, in ms. */
    private readonly maxWaitMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refuses while a wait runs. */
  check(): void {
    const wait = this.until - this.now();
    if (wait > 0)
      throw new AppError(
        'WRONG_PASSPHRASE',
        `Too many wrong passphrases: wait ${Math.ceil(wait / 1000)} s before trying again.`,
      );
  }

  /** Runs one attempt: a WRONG_PASSPHRASE from `attempt` counts; anything else passes through. */
  async attempt<T>(attempt: () => Promise<T>): Promise<T> {
    this.check();
    try {
      const value = await attempt();
      this.failures = 0;
      this.until = 0;
      return value;
    } catch (error) {
      if (error instanceof AppError && error.code === 'WRONG_PASSPHRASE') {
        this.failures++;
        if (this.failures >= this.free)
          this.until = this.now() + Math.min(this.maxWaitMs, 1000 * 2 ** (this.failures - this.free));
      }
      throw error;
    }
  }
}
