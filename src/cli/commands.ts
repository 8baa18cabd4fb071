/**
 * The command table: every command of the command line, from the room that owns it, in the order
 * --help shows them. --help is generated from it (each command's help under its group), and the
 * front (index.ts) runs what it finds here.
 */
import { agreementCommands } from '../main/agreement/cli';
import { codingCommands } from '../main/coding/cli';
import { feedbackCommands } from '../main/feedback/cli';
import { interopCommands } from '../main/interop/cli';
import { libraryCommands } from '../main/library/cli';
import { packageCommands } from '../main/packages/cli';
import { perspectiveCommands } from '../main/perspectives/cli';
import { libraryProtectionCommands } from '../main/protection/cli';
import { safekeepingCommands } from '../main/protection/cli-safekeeping';
import { reportCommands } from '../main/reports/cli-report';
import { talkCommands } from '../main/talk/cli';
import { GROUPS, type Command } from './args';

export const COMMANDS: Command[] = [
  ...libraryCommands,
  ...talkCommands,
  ...codingCommands,
  ...interopCommands,
  ...perspectiveCommands,
  ...agreementCommands,
  ...feedbackCommands,
  ...reportCommands,
  ...packageCommands,
  ...safekeepingCommands,
  ...libraryProtectionCommands,
];

/** --help: each group with its commands' help, in the table's order. */
export function usage(): string {
  const groups = GROUPS.map((group) => {
    const blocks = COMMANDS.flatMap((c) => c.help.filter((h) => h.group === group).map((h) => h.text));
    return `${group}:\n${blocks.join('\n')}\n`;
  });
  return `Usage: alliance-review <command> [options]

${groups.join('\n')}
Options for every command:
  --data-dir DIR   where the library lives (default: $ALLIANCE_REVIEW_DATA_DIR or the app's data folder)
  --json           machine-readable output
`;
}
