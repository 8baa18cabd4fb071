/**
 * Private working folders: where a plaintext moment cannot be avoided (the page a browser prints to
 * PDF, a label ffmpeg draws from a file), it lives in a folder only this user can open (0700),
 * inside the library's folder rather than the shared temporary folder, named for the process
 * that made it; removed when the work ends, and at the next start when a crash left it behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = 'tmp';

/** The folder private working folders live in. */
export function privateTempRoot(dataDir: string): string {
  return path.join(dataDir, ROOT);
}

/** Makes a private folder (0700) and returns it with the way to remove it. */
export function privateTemp(dataDir: string, purpose: string): { dir: string; remove: () => void } {
  const root = privateTempRoot(dataDir);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  fs.chmodSync(root, 0o700);
  const dir = path.join(root, `${purpose}-${process.pid}-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the private folders of processes that are gone (a crash, kill -9): the app and the
 * command line may work at once, so a living process's folder is left alone. Returns how many went.
 */
export function sweepPrivateTemp(dataDir: string): number {
  const root = privateTempRoot(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && alive(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
