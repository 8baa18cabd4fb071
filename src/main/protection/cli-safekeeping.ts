/** Safekeeping from the command line: backups and the audit log. */
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { createCore, type Core } from '../app';
import type { CliCall } from '../rpc/types';
import { prepareProtectedRestore } from './backups';
import { type Io, type Values, need, cliActor, type Command } from '../../cli/args';

/** `backup now | list | restore FILE`. */
export async function backupCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: Values,
  io: Io,
  key?: Buffer,
): Promise<number> {
  const [sub, file] = args;
  const size = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  if (sub === 'now') {
    const b = await call('backups:now', {});
    io.stdout(
      values.json ? `${JSON.stringify(b, null, 2)}\n` : `Backed up to ${b.file} (${size(b.bytes)}), checked.\n`,
    );
    return 0;
  }
  if (sub === 'list') {
    const list = await call('backups:list', {});
    if (values.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    else if (!list.length) io.stdout('No backups yet: alliance-review backup now.\n');
    else
      for (const b of list)
        io.stdout(`${b.createdAt}  ${b.kind.padEnd(14)}  ${size(b.bytes).padStart(9)}  ${b.file}\n`);
    return 0;
  }
  if (sub === 'restore' && key) {
    // A protected library is restored with the library closed (protection/backups.ts).
    const restored = path.resolve(need(file, 'FILE'));
    const { safety, finish } = await prepareProtectedRestore(core.db, core.backups, restored, key);
    core.close();
    finish();
    const again = createCore({ dataDir: core.dataDir, actor: cliActor(), key });
    try {
      again.audit.reanchor('backup.restore', path.basename(restored), { safety: safety.name });
    } finally {
      again.close();
    }
    const r = { restored, safety };
    io.stdout(
      values.json
        ? `${JSON.stringify(r, null, 2)}\n`
        : `Restored ${r.restored}. What was there before is kept in ${r.safety.file}.\n`,
    );
    return 0;
  }
  if (sub === 'restore') {
    const r = await core.backups.restore(need(file, 'FILE'));
    core.audit.reanchor('backup.restore', path.basename(r.restored), { safety: r.safety.name });
    io.stdout(
      values.json
        ? `${JSON.stringify(r, null, 2)}\n`
        : `Restored ${r.restored}. What was there before is kept in ${r.safety.file}.\n`,
    );
    return 0;
  }
  throw new AppError('INVALID_INPUT', 'Use: alliance-review backup now | backup list | backup restore FILE.');
}

/** `audit list [--json]` and `audit verify` (exit 1 when the chain is broken). */
export function auditCommand(core: Core, args: string[], values: Values, io: Io): number {
  if (args[0] === 'verify') {
    const v = core.audit.verify();
    io.stdout(values.json ? `${JSON.stringify(v, null, 2)}\n` : `${v.message}\n`);
    return v.ok ? 0 : 1;
  }
  if (args[0] !== 'list')
    throw new AppError('INVALID_INPUT', 'Use: alliance-review audit list [--json] | audit verify.');
  const entries = core.audit.list();
  if (values.json) io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  else
    for (const e of [...entries].reverse())
      io.stdout(
        `${e.at}  ${e.actor}  ${e.action}  ${e.subject}${Object.keys(e.detail).length ? `  ${JSON.stringify(e.detail)}` : ''}\n`,
      );
  return 0;
}

export const safekeepingCommands: Command[] = [
  {
    name: 'backup',
    help: [
      {
        group: 'Safekeeping',
        text: `  backup now | backup list | backup restore FILE
      checked, rotated backups of the library (the app makes one a day); restore keeps what was
      there as a backup first`,
      },
    ],
    run: ({ core, call, args, values, io, key }) => backupCommand(core, call, args, values, io, key),
  },
  {
    name: 'audit',
    help: [
      {
        group: 'Safekeeping',
        text: `  audit list | audit verify            who opened, exported, printed, packed and deleted what;
      verify checks the log's hash chain and its anchor (exit 1 when an entry was changed,
      removed or added)`,
      },
    ],
    run: ({ core, args, values, io }) => auditCommand(core, args, values, io),
  },
];
