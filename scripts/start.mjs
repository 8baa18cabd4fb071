// `npm start` (preview the built app) and `npm run dev` (with the dev server): makes sure
// Electron's binary is there first, then hands over to electron-vite.
//
// Electron 42 and later download their binary on first use, not at install, and electron-vite
// reads node_modules/electron/path.txt directly: without this step a fresh checkout stops with
// "Error: Electron uninstall". So we run Electron's own installer (idempotent: it returns at
// once when the binary is there) and say plainly what to do when the download is impossible.
//
// Honoured: ELECTRON_EXEC_PATH (an Electron binary to use; nothing is downloaded),
// ELECTRON_OVERRIDE_DIST_PATH (a folder holding Electron's dist), ELECTRON_MIRROR and
// electron_config_cache (where to download from / cache), ALLIANCE_REVIEW_SKIP_NATIVE=1 (do not
// build better-sqlite3 for Electron: for tests with a stand-in Electron).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const [mode = 'preview', ...rest] = process.argv.slice(2);
if (mode !== 'preview' && mode !== 'dev') {
  console.error('Usage: node scripts/start.mjs preview|dev [electron-vite options]');
  process.exit(2);
}

const say = (text) => process.stderr.write(`${text}\n`);
const electronDir = path.join(root, 'node_modules', 'electron');
const electronPkg = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8'));

if (!process.env.ELECTRON_EXEC_PATH) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    say(
      `Note: Electron ${electronPkg.version}'s installer declares Node >= 22.12; this is Node ${process.versions.node}. ` +
        'If the download below fails, run it again with Node 22.12 or later.',
    );
  }
  // The installer's own errors come with a stack trace; the reason is its first line, said
  // below with what to do (the whole output with ALLIANCE_REVIEW_DEBUG=1).
  const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: process.env,
    encoding: 'utf8',
  });
  if (install.status === 0 || process.env.ALLIANCE_REVIEW_DEBUG === '1') process.stderr.write(install.stderr ?? '');
  if (install.status !== 0) {
    const reason = (install.stderr ?? '')
      .split('\n')
      .find((l) => l.trim() && !/^\s+at /.test(l))
      ?.trim();
    say(
      [
        `Alliance Review could not get Electron ${electronPkg.version}'s binary (the download failed or is blocked${reason ? `: ${reason}` : ''}).`,
        'What to do:',
        '  - On a machine with internet: run "npx install-electron", then "npm start" again.',
        '  - Without internet: copy an Electron build here and point ELECTRON_EXEC_PATH at its',
        '    executable, or ELECTRON_OVERRIDE_DIST_PATH at its folder.',
        '  - Or use the same app in a browser: "npm run browser".',
      ].join('\n'),
    );
    process.exit(1);
  }
}

if (process.env.ALLIANCE_REVIEW_SKIP_NATIVE !== '1') {
  const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { stdio: 'inherit' });
  if (native.status !== 0) process.exit(native.status ?? 1);
}

const run = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), mode, ...rest],
  { stdio: 'inherit', cwd: root, env: process.env },
);
process.exit(run.status ?? 1);
