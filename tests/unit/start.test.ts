/**
 * `npm start` end to end against a stand-in Electron: the start sequence must get the binary
 * first (here: ELECTRON_EXEC_PATH names the stand-in, so nothing is downloaded) and launch it on
 * the built app, whose main bundle, preload and renderer must exist. And when the binary cannot
 * be had, it must say what to do, not "Error: Electron uninstall".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';

const root = path.resolve(__dirname, '..', '..');
const work = tempDir();
afterAll(() => work.cleanup());

/** A stand-in Electron: records what it was asked to launch and what that points at. */
function standIn(): { exe: string; record: string } {
  const exe = path.join(work.dir, 'electron');
  const record = path.join(work.dir, 'launched.json');
  fs.writeFileSync(
    exe,
    `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const app = path.resolve(process.cwd(), process.argv[2] || '.');
const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
const main = path.join(app, pkg.main);
const source = fs.existsSync(main) ? fs.readFileSync(main, 'utf8') : '';
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({
  args: process.argv.slice(2),
  main,
  mainExists: fs.existsSync(main),
  preloadExists: fs.existsSync(path.join(path.dirname(main), '..', 'preload', 'index.js')),
  rendererExists: fs.existsSync(path.join(path.dirname(main), '..', 'renderer', 'index.html')),
  loadsAppProtocol: source.includes('app://renderer'),
}));
`,
  );
  fs.chmodSync(exe, 0o755);
  return { exe, record };
}

describe('npm start', () => {
  it('launches Electron on the built app: main bundle, preload and renderer', () => {
    if (!fs.existsSync(path.join(root, 'out', 'main', 'index.js')))
      throw new Error('The app is not built: run "npm run build" first (npm test does).');
    const { exe, record } = standIn();
    const res = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs'), 'preview', '--skipBuild'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_EXEC_PATH: exe, ALLIANCE_REVIEW_SKIP_NATIVE: '1' },
      timeout: 60_000,
    });
    expect(res.status, res.stderr).toBe(0);
    const launched = JSON.parse(fs.readFileSync(record, 'utf8')) as Record<string, unknown>;
    expect(launched).toMatchObject({
      args: ['.'],
      mainExists: true,
      preloadExists: true,
      rendererExists: true,
      loadsAppProtocol: true,
    });
    expect(launched.main).toBe(path.join(root, 'out', 'main', 'index.js'));
  });

  it('says what to do when Electron’s binary cannot be downloaded', () => {
    const empty = path.join(work.dir, 'no-electron');
    const cache = path.join(work.dir, 'cache');
    fs.mkdirSync(empty);
    fs.mkdirSync(cache);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: empty, // no binary here, so the installer must download
      ELECTRON_MIRROR: 'http://127.0.0.1:9/', // and that download fails at once
      electron_config_cache: cache,
    };
    delete env.ELECTRON_EXEC_PATH;
    const res = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs'), 'preview', '--skipBuild'], {
      cwd: root,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/could not get Electron .*binary/);
    expect(res.stderr).toMatch(/npx install-electron/);
    expect(res.stderr).toMatch(/npm run browser/);
    expect(res.stderr).not.toMatch(/Electron uninstall/);
    // The installer's reason in one line, not its stack trace (issue 26).
    expect(res.stderr).not.toMatch(/^\s+at /m);
  });
});
