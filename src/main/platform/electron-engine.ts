/**
 * The speech engine's process in the packaged app: Electron's utilityProcess (the app's binary
 * cannot run as Node there: the runAsNode fuse is off). The script is written to the app's
 * temporary folder (it holds no data) and forked as a utility process that talks through
 * parentPort. Set by the Electron shell only; not run in these tests (no Electron binary here).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UtilityProcess } from 'electron';
import { ENGINE_SOURCE, type EngineStarter } from '../transcribe/engine';

export function utilityEngineStarter(fork: (file: string) => UtilityProcess): EngineStarter {
  let script: string | null = null;
  return (source) => {
    if (source !== ENGINE_SOURCE) throw new Error('unknown engine script');
    if (!script) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-review-engine-'));
      script = path.join(dir, 'engine.cjs');
      fs.writeFileSync(script, source, { mode: 0o600 });
    }
    const child = fork(script);
    return {
      send: (m) => child.postMessage(m),
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void child.once('exit', (code) => l(`exited with ${code}`)),
      onStderr: (l) => void child.stderr?.setEncoding('utf8').on('data', l),
      kill: () => void child.kill(),
    };
  };
}
