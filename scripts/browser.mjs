// `npm run browser`: builds the app when the build is missing or older than the sources (quietly,
// so the host's one line stays the only output), then starts the browser host.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const built = [path.join(root, 'out/host/browser-host.cjs'), path.join(root, 'out/renderer/index.html')];

function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const stale = built.some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < newest(path.join(root, 'src')));
if (stale) {
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    process.stderr.write(String(error.stdout ?? '') + String(error.stderr ?? ''));
    process.stderr.write('The build failed; the browser host was not started.\n');
    process.exit(1);
  }
}
const child = spawn(process.execPath, [built[0], ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
