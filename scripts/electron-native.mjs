// Builds better-sqlite3-multiple-ciphers (better-sqlite3 with SQLCipher-compatible encryption) for Electron's ABI into native/electron-<version>/, in a scratch copy of
// the package, so the Node build in node_modules (used by the CLI, the browser host and the
// tests) is never replaced. The main process loads it through better-sqlite3's `nativeBinding`.
// Tries a prebuilt binary first (prebuild-install), then compiles against Electron's headers
// (node-gyp). Needs the network once; later runs find the binding and return at once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const electronVersion = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const targetDir = path.join(root, 'native', `electron-${electronVersion}`);
const target = path.join(targetDir, 'better_sqlite3_mc.node');

if (fs.existsSync(target)) process.exit(0);

const source = path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-sqlite-electron-'));
const pkg = path.join(scratch, 'better-sqlite3');
fs.cpSync(source, pkg, {
  recursive: true,
  filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`),
});

const run = (cmd, args) =>
  execFileSync(cmd, args, {
    cwd: pkg,
    stdio: 'inherit',
    env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion },
  });
const built = path.join(pkg, 'build', 'Release', 'better_sqlite3.node');
try {
  console.log(`Preparing better-sqlite3 for Electron ${electronVersion}…`);
  try {
    run(process.execPath, [
      require.resolve('prebuild-install/bin.js'),
      '--runtime',
      'electron',
      '--target',
      electronVersion,
      '--arch',
      process.arch,
      '--platform',
      process.platform,
    ]);
  } catch {
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', {
      paths: [path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'), root],
    });
    run(process.execPath, [
      nodeGyp,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ]);
  }
  if (!fs.existsSync(built)) throw new Error('no binding was produced');
  fs.mkdirSync(targetDir, { recursive: true });
  fs.copyFileSync(built, target);
  console.log(`better-sqlite3 for Electron ${electronVersion} is in ${path.relative(root, targetDir)}/`);
} catch (error) {
  console.error(`Could not build better-sqlite3 for Electron ${electronVersion}: ${error.message}`);
  console.error('This step needs the network once (Electron headers or a prebuilt binary).');
  process.exit(1);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
