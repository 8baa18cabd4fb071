/** Entry point of the `alliance-review` command. */
import { runCli } from './index';

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
