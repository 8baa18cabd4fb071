/**
 * docs/cli-reference.md is generated from the command table: this fails when the two differ, and
 * writes the file when asked (`npm run docs:cli`, i.e. UPDATE_DOCS=1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReference, COMMANDS, usage } from './commands';

const FILE = path.resolve(__dirname, '..', '..', 'docs', 'cli-reference.md');

describe('the CLI reference', () => {
  it('is the command table’s help, every command in it', () => {
    const text = cliReference();
    if (process.env.UPDATE_DOCS) fs.writeFileSync(FILE, text);
    expect(fs.readFileSync(FILE, 'utf8'), 'docs/cli-reference.md is out of date: run npm run docs:cli').toBe(text);
    for (const c of COMMANDS) expect(text, c.name).toContain(c.name);
    // The same lines as --help.
    for (const line of usage()
      .split('\n')
      .filter((l) => l.startsWith('  ') && !l.includes('--data-dir DIR') && !l.includes('--json  ')))
      expect(text).toContain(line);
  });
});
