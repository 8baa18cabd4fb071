/** Entry point of the `alliance-review` command. */
import { runCli } from './index';

// Output piped into `head` (or a closed pager) ends early: that is the reader's choice, not an
// error. Stop quietly, as Unix tools do, instead of dying with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  tty: Boolean(process.stderr.isTTY),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`alliance-review: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
