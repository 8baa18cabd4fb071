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
import { packageCommands, supervisionCommands } from '../main/packages/cli';
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
  ...supervisionCommands,
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

/**
 * docs/cli-reference.md: the same help, as Markdown, a section per group (written by
 * `npm run docs:cli`; a test fails when the file and the table differ).
 */
export function cliReference(): string {
  const sections = GROUPS.map((group) => {
    const blocks = COMMANDS.flatMap((c) => c.help.filter((h) => h.group === group).map((h) => h.text));
    return `## ${group}\n\n\`\`\`\n${blocks.join('\n')}\n\`\`\`\n`;
  });
  return `# Command-line reference

[← README](../README.md) · [all docs](README.md) · [how the commands behave](cli.md)

Generated from the command table (\`src/cli/commands.ts\`) by \`npm run docs:cli\`: the same text
as \`alliance-review --help\`. Run a command as \`npx alliance-review <command> …\` (npm install
builds it; \`npm run build:node\` rebuilds it).

Options for every command: \`--data-dir DIR\` (where the library lives; default
\`$ALLIANCE_REVIEW_DATA_DIR\` or the app's data folder) and \`--json\` (machine-readable output).

${sections.join('\n')}`;
}
