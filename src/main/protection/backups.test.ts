import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { cliIn } from '../../../tests/support/cli';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const DAY = 86_400_000;

describe('backups', () => {
  it('are made while the library is open, checked, and restore what was there (keeping a safety copy)', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const { core } = t;
    core.library.createCase({ code: 'C-BEFORE', therapist: '', notes: '' });
    const b = await core.backups.now();
    expect(b).toMatchObject({ kind: 'manual' });
    expect(fs.statSync(b.file).mode & 0o077).toBe(0);
    expect(fs.readdirSync(core.backups.dir).some((n) => n.endsWith('.partial'))).toBe(false);
    core.library.createCase({ code: 'C-AFTER', therapist: '', notes: '' });
    const r = await core.backups.restore(b.file);
    // The open library shows the backup's content at once.
    expect(core.library.listCases().map((c) => c.code)).toEqual(['C-BEFORE']);
    expect(r.safety.kind).toBe('before-restore');
    // A file that is not a sound backup is refused, and nothing changes.
    const bad = path.join(core.backups.dir, 'library-2026-01-01T00-00-00-000Z-manual.db');
    fs.writeFileSync(bad, 'not a database');
    await expect(core.backups.restore(bad)).rejects.toThrow(
      /is not a sound Alliance Review backup; nothing was changed|not a sound/,
    );
    expect(core.library.listCases().map((c) => c.code)).toEqual(['C-BEFORE']);
  });

  it('rotate: every backup of the last week, then the newest of each week for four weeks', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    const { core } = t;
    const now = Date.parse('2026-11-28T12:00:00Z');
    // One backup a day for 40 days.
    for (let d = 40; d >= 0; d--) await core.backups.now('daily', new Date(now - d * DAY));
    const kept = core.backups.list().map((b) => Date.parse(b.createdAt));
    const ages = kept.map((t) => Math.round((now - t) / DAY));
    // Days 0–6 all; before that one per calendar week, none older than 5 weeks.
    expect(ages.slice(0, 7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const older = kept.slice(7);
    const weeks = older.map((t) => Math.floor(t / (7 * DAY)));
    expect(new Set(weeks).size).toBe(weeks.length);
    expect(older.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...ages)).toBeLessThan(35);
    // Each kept older backup is the newest of its week: the next day's belongs to another week
    // (or is one of the last 7 days).
    for (const t of older) {
      const nextSameWeek = Math.floor((t + DAY) / (7 * DAY)) === Math.floor(t / (7 * DAY));
      expect(!nextSameWeek || now - (t + DAY) < 7 * DAY).toBe(true);
    }
    // The daily backup is skipped while the newest is less than a day old.
    expect(await core.backups.daily(new Date(now + DAY / 2))).toBeNull();
    expect(await core.backups.daily(new Date(now + DAY))).not.toBeNull();
  });

  it('the CLI makes, lists and restores them', async () => {
    const t = testCore();
    cleanups.push(t.cleanup);
    t.core.library.createCase({ code: 'C-ONE', therapist: '', notes: '' });
    t.core.close();
    const cli = (args: string[]) => cliIn(t.dir, args);
    const made = JSON.parse((await cli(['backup', 'now', '--json'])).stdout);
    await cli(['import', '--help']);
    expect((await cli(['backup', 'list'])).stdout).toContain(made.file);
    const restored = await cli(['backup', 'restore', made.file]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Restored .*What was there before is kept in/);
    expect((await cli(['backup', 'restore', '/no/such.db'])).stderr).toContain('There is no backup at /no/such.db.');
  });
});
