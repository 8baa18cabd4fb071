/**
 * `library status|protect|change-passphrase|unprotect|auto-lock MINUTES`: a library protected
 * with a passphrase, from the command line; and the key of a protected library for every other
 * command.
 *
 * The passphrase comes from the environment variable ALLIANCE_REVIEW_PASSPHRASE or a prompt on
 * a terminal (never an argument: arguments show in the process list and the shell's history).
 * A new passphrase (protect, change-passphrase) from ALLIANCE_REVIEW_NEW_PASSPHRASE or the
 * prompt, asked twice.
 */
import {
  changePassphrase,
  MIN_PASSPHRASE,
  missingKeyFile,
  protectionState,
  protectLibrary,
  setAutoLock,
  unprotectLibrary,
  unwrapKey,
} from './library-key';
import { createCore } from '../app';
import { AppError } from '../../shared/errors';
import { cliActor, type Command } from '../../cli/args';

interface Io {
  stdout: (s: string) => void;
  env: NodeJS.ProcessEnv;
  prompt?: (question: string) => Promise<string>;
}

async function current(io: Io): Promise<string> {
  const env = io.env.ALLIANCE_REVIEW_PASSPHRASE;
  if (env) return env;
  if (!io.prompt)
    throw new AppError(
      'LOCKED',
      'This library is protected with a passphrase: set ALLIANCE_REVIEW_PASSPHRASE (there is no terminal to ask on).',
    );
  return io.prompt('Library passphrase: ');
}

async function fresh(io: Io): Promise<string> {
  const env = io.env.ALLIANCE_REVIEW_NEW_PASSPHRASE;
  if (env) return env;
  if (!io.prompt)
    throw new AppError(
      'INVALID_INPUT',
      'Give the new passphrase in ALLIANCE_REVIEW_NEW_PASSPHRASE (there is no terminal to ask on).',
    );
  const first = await io.prompt(`New passphrase (at least ${MIN_PASSPHRASE} characters): `);
  if ((await io.prompt('Again, to be sure: ')) !== first)
    throw new AppError('INVALID_INPUT', 'The two passphrases differ; nothing was changed.');
  return first;
}

/** The data key of a protected library (asked for), or undefined for a plain one. */
export async function libraryKey(dataDir: string, io: Io): Promise<Buffer | undefined> {
  const state = protectionState(dataDir);
  if (!state.protected) return undefined;
  if (!state.keyFile) throw missingKeyFile(dataDir);
  return unwrapKey(state.keyFile, await current(io));
}

function record(dataDir: string, key: Buffer | undefined, actor: string, action: string): void {
  const core = createCore({ dataDir, key, actor });
  try {
    core.audit.record(action, 'library', {});
  } finally {
    core.close();
  }
}

export async function libraryCommand(
  dataDir: string,
  args: string[],
  json: boolean,
  io: Io,
  actor: string,
): Promise<number> {
  const [sub, arg] = args;
  const say = (text: string, value: Record<string, unknown>) =>
    io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  const state = protectionState(dataDir);
  switch (sub) {
    case 'status': {
      const keyFile = state.protected ? state.keyFile : null;
      say(
        state.protected
          ? `${dataDir} is protected with a passphrase (encrypted since ${keyFile?.protectedAt ?? '?'}; locks after ${keyFile?.autoLockMinutes ?? '?'} minutes without use in the app).`
          : `${dataDir} is not protected with a passphrase.`,
        {
          dataDir,
          protected: state.protected,
          protectedAt: keyFile?.protectedAt ?? null,
          autoLockMinutes: keyFile?.autoLockMinutes ?? null,
        },
      );
      return 0;
    }
    case 'protect': {
      // The library is made (or brought up to date) first: protecting a new folder protects a new library.
      createCore({ dataDir, actor }).close();
      const key = await protectLibrary(dataDir, await fresh(io));
      record(dataDir, key, actor, 'library.protect');
      say(
        `${dataDir} is now encrypted. Keep the passphrase safe: without it the library cannot be opened. Commands ask for it, or read ALLIANCE_REVIEW_PASSPHRASE.`,
        { dataDir, protected: true },
      );
      return 0;
    }
    case 'change-passphrase': {
      const old = await current(io);
      const next = await fresh(io);
      // The key it unwrapped opens the library for the audit entry (no second key derivation).
      record(dataDir, await changePassphrase(dataDir, old, next), actor, 'library.passphrase.change');
      say('The passphrase is changed (the library itself was not rewritten).', { dataDir, protected: true });
      return 0;
    }
    case 'unprotect': {
      await unprotectLibrary(dataDir, await current(io));
      record(dataDir, undefined, actor, 'library.unprotect');
      say(`${dataDir} is no longer encrypted.`, { dataDir, protected: false });
      return 0;
    }
    case 'auto-lock': {
      const minutes = Number(arg);
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 240)
        throw new AppError(
          'INVALID_INPUT',
          'Say the minutes without use before the app locks itself: 0 (never) to 240.',
        );
      const key = await libraryKey(dataDir, io);
      if (!key)
        throw new AppError('INVALID_INPUT', 'This library is not protected with a passphrase: nothing to lock.');
      setAutoLock(dataDir, minutes);
      say(minutes ? `The app locks after ${minutes} minutes without use.` : 'The app does not lock by itself.', {
        dataDir,
        autoLockMinutes: minutes,
      });
      return 0;
    }
    default:
      throw new AppError(
        'INVALID_INPUT',
        'Use: alliance-review library status | library protect | library change-passphrase | library unprotect | library auto-lock MINUTES.',
      );
  }
}

export const libraryProtectionCommands: Command[] = [
  {
    name: 'library',
    help: [
      {
        group: 'Safekeeping',
        text: `  library status | library protect | library change-passphrase | library unprotect | library auto-lock MINUTES
      encryption of the library with a passphrase (from ALLIANCE_REVIEW_PASSPHRASE or a prompt;
      a new one from ALLIANCE_REVIEW_NEW_PASSPHRASE or the prompt). A protected library's
      passphrase is asked by every command`,
      },
    ],
    // It opens the library itself (to protect, unprotect or change the passphrase).
    needs: () => 'folder',
    runAlone: ({ dataDir, args, values, io }) => libraryCommand(dataDir, args, values.json, io, cliActor()),
    run: ({ dataDir, args, values, io }) => libraryCommand(dataDir, args, values.json, io, cliActor()),
  },
];
