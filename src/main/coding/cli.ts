/** The coding room's commands: raters (list, add, erase). */
import { AppError } from '../../shared/errors';
import type { CliCall } from '../rpc/types';
import { backupWords } from '../library/cli';
import { ROLES, type Role } from '../../shared/annotations';
import { raterErasure } from '../protection/rater-erasure';
import { type Io, type Values, need, type CommandContext, type Command } from '../../cli/args';

export async function ratersCommand(call: CliCall, args: string[], values: Values, io: Io): Promise<number> {
  if (args[0] === 'add') {
    const name = need(args[1], 'NAME');
    const role = values.role;
    // Which flag is missing is the command line's to say; the values are the contract's to check.
    if (!role || !(ROLES as readonly string[]).includes(role))
      throw new AppError('INVALID_INPUT', `--role must be one of ${ROLES.join(', ')}${role ? `, not "${role}"` : ''}.`);
    const rater = await call('raters:create', { name, role: role as Role });
    io.stdout(values.json ? `${JSON.stringify(rater, null, 2)}\n` : `Added ${rater.name} (${rater.role}).\n`);
    return 0;
  }
  const people = (await call('raters:list', {})).filter((r) => !r.consensus);
  if (values.json) io.stdout(`${JSON.stringify(people, null, 2)}\n`);
  else if (!people.length) io.stdout('No raters yet. Add one: alliance-review raters add NAME --role ROLE.\n');
  else for (const r of people) io.stdout(`${r.id}\t${r.name}\t${r.role}\n`);
  return 0;
}

/** `raters delete NAME [--yes]`: says what erasing would take; with --yes erases, through the dispatch. */
export async function raterDeleteCommand({ core, call, args, values, io }: CommandContext): Promise<number> {
  if (args[0] !== 'delete')
    throw new AppError(
      'INVALID_INPUT',
      'Use: alliance-review raters [list] | raters add NAME --role ROLE | raters delete NAME --yes.',
    );
  const name = need(args[1], 'NAME');
  const found = core.annotations.raters().find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new AppError('NOT_FOUND', `There is no rater called ${name}.`);
  const e = raterErasure(core, found.id);
  if (!values.yes) {
    io.stderr(
      `alliance-review: ${found.name} was not erased. ${e.words}\nThis cannot be undone; to erase, add --yes.\n`,
    );
    return 1;
  }
  // Through the front door: the handler erases, reaches the backups and records it.
  const done = await call('raters:delete', { id: found.id });
  io.stdout(
    values.json
      ? `${JSON.stringify({ erased: found.name, impact: e.impact, ...done }, null, 2)}\n`
      : `Erased. ${e.words}${backupWords(done.backups)}\n`,
  );
  return 0;
}

export const codingCommands: Command[] = [
  {
    name: 'raters',
    help: [
      {
        group: 'Coding, transcripts and questionnaires',
        text: `  raters [list] | raters add NAME --role supervisor|trainee|observer|therapist|patient
      the people who rate, with their role (their perspective); a new one for feedback or imports`,
      },
    ],
    run: (ctx) =>
      ctx.args[0] === undefined || ctx.args[0] === 'list' || ctx.args[0] === 'add'
        ? ratersCommand(ctx.call, ctx.args, ctx.values, ctx.io)
        : raterDeleteCommand(ctx),
  },
];
