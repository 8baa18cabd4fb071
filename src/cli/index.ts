/**
 * `alliance-review`: the command line's front. It parses argv, finds the command in the table
 * (commands.ts: each room's commands), opens the library for it and hands it the one dispatch
 * as the command-line caller; --help is generated from the same table. Exit code 0 on success;
 * 1 with a one-line reason on stderr when something is refused; 2 for a usage error.
 */
import path from 'node:path';
import { createCore, defaultDataDir, type Core } from '../main/app';
import { cliDispatcher } from '../main/hosts/cli-dispatch';
import { libraryKey } from '../main/protection/cli';
import { toShape } from '../main/rpc/errors';
import { cliActor, parse, type Io } from './args';
import { COMMANDS, usage } from './commands';

export type { Io } from './args';

export async function runCli(argv: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`alliance-review: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [name, ...args] = positionals;
  if (values.help || !name) {
    io.stdout(usage());
    return name || values.help ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`alliance-review: unknown command "${name}". Run alliance-review --help.\n`);
    return 2;
  }
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir(io.env);
  const needs = command.needs?.(args) ?? 'library';
  let core: Core | null = null;
  try {
    if (needs !== 'library' && command.runAlone) return await command.runAlone({ args, values, io, dataDir });
    const key = await libraryKey(dataDir, io);
    core = createCore({ dataDir, actor: cliActor(), key });
    // Commands with a contract channel go through the one dispatch (validation, policy, audit).
    return await command.run({ core, call: cliDispatcher(core), args, values, io, dataDir, key });
  } catch (error) {
    io.stderr(`alliance-review: ${toShape(error).message}\n`);
    return 1;
  } finally {
    core?.close();
  }
}
