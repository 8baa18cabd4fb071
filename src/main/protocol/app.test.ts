import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { APP_CSP, planApp } from './app';

const dir = tempDir();
afterAll(() => dir.cleanup());
fs.mkdirSync(path.join(dir.dir, 'assets'));
fs.writeFileSync(path.join(dir.dir, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(dir.dir, 'assets', 'app.js'), 'x');
fs.writeFileSync(path.join(path.dirname(dir.dir), 'outside.txt'), 'secret');

describe('app:// protocol', () => {
  it('serves the page with its CSP and the renderer’s own files', () => {
    const index = planApp(dir.dir, 'app://renderer/');
    expect(index).toMatchObject({ status: 200, headers: { 'Content-Security-Policy': APP_CSP } });
    expect(planApp(dir.dir, 'app://renderer/assets/app.js')).toMatchObject({
      status: 200,
      headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
      body: { file: path.join(dir.dir, 'assets', 'app.js') },
    });
  });

  it('refuses other hosts, traversal, folders and bad escapes', () => {
    for (const url of [
      'app://other/index.html',
      'app://renderer/..%2Foutside.txt',
      'app://renderer/../outside.txt',
      'app://renderer/assets',
      'app://renderer/%zz',
      'not a url',
    ])
      expect(planApp(dir.dir, url).status, url).toBe(404);
  });
});
