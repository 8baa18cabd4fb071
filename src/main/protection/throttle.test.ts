import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { createCore } from '../app';
import { noDialogs } from '../platform/types';
import { dispatch } from '../rpc/dispatch';
import { createHandlers } from '../rpc/handlers';
import { AppError } from '../../shared/errors';
import { LibraryGate } from './gate';
import { protectLibrary } from './library-key';
import { AttemptThrottle } from './throttle';

const PASS = 'the right passphrase here';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const wrong = () => Promise.reject(new AppError('WRONG_PASSPHRASE', 'wrong'));

describe('wrong passphrases slow guessing down', () => {
  it('waits double after each wrong attempt past the third, up to a minute; a right one resets', async () => {
    let now = 0;
    const t = new AttemptThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) await expect(t.attempt(wrong)).rejects.toThrow('wrong');
    // The fourth attempt is refused at once, the right passphrase too, until the wait is over.
    await expect(t.attempt(() => Promise.resolve('key'))).rejects.toThrow('wait 1 s before trying again');
    now += 1000;
    await expect(t.attempt(wrong)).rejects.toThrow('wrong');
    await expect(t.attempt(wrong)).rejects.toThrow('wait 2 s');
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      now += 120_000;
      await expect(t.attempt(wrong)).rejects.toThrow('wrong');
      try {
        t.check();
      } catch (e) {
        waits.push(Number(/wait (\d+) s/.exec((e as Error).message)![1]));
      }
    }
    expect(waits.at(-1)).toBe(60);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    now += 60_000;
    await expect(t.attempt(() => Promise.resolve('key'))).resolves.toBe('key');
    await expect(t.attempt(wrong)).rejects.toThrow('wrong'); // counted from zero again
    expect(() => t.check()).not.toThrow();
  });

  it('holds for lock:unlock through the contract (the browser host’s /rpc)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    createCore({ dataDir: dir }).close();
    await protectLibrary(dir, PASS);
    const gate = new LibraryGate({ dataDir: dir }).start();
    cleanups.unshift(() => gate.core?.close());
    const handlers = createHandlers(gate, noDialogs, { host: 'browser', version: 'test' });
    const messages: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      const r = await dispatch(handlers, 'lock:unlock', { passphrase: `guess number ${i}`, remember: false });
      if (!r.ok) messages.push(r.error.message);
    }
    // 20 guesses: three were tried (scrypt each), the rest refused at once with the wait.
    expect(messages.filter((m) => /wait \d+ s/.test(m))).toHaveLength(17);
    expect(Date.now() - started).toBeLessThan(20_000);
    const right = await dispatch(handlers, 'lock:unlock', { passphrase: PASS, remember: false });
    expect(right.ok).toBe(false);
    expect(gate.core).toBeNull();
  });
});
