/** The command line run in-process against a data folder, its output collected. */
import { runCli } from '../../src/cli/index';

export async function cliIn(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    tty: false,
    env,
  });
  return { code, stdout, stderr };
}
