import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { createCore } from '../app';
import { openDatabase } from '../db/open';
import { runCli } from '../../cli/index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function cli(args: string[], dataDir: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    tty: false,
    env: {},
  });
  return { code, stdout, stderr };
}

async function library() {
  const data = tempDir();
  const files = tempDir();
  cleanups.push(data.cleanup, files.cleanup);
  await cli(['import', mediaFile('av.mp4'), '--case', 'C-1', '--session', '1'], data.dir);
  const write = (name: string, text: string) => {
    const p = path.join(files.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const dbState = () => {
    const db = openDatabase(data.dir);
    try {
      return snapshot(db);
    } finally {
      db.close();
    }
  };
  return { dataDir: data.dir, write, dbState };
}

describe('annotations import', () => {
  it('reads a European spreadsheet CSV: a byte-order mark, semicolons and decimal commas, and says so', async () => {
    const { dataDir, write } = await library();
    const file = write(
      'europe.csv',
      '\uFEFFtype;code;start;end;significance;stage;note\r\n' +
        'rupture;W2;1,5;2,75;4;;"leise; schaut weg"\r\n' +
        'repair;R4;00:00:03,000;00:00:04,200;5;;\r\n',
    );
    const res = await cli(
      ['annotations', 'import', file, '--session', '1', '--rater', 'Observer A', '--json'],
      dataDir,
    );
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ format: 'csv', imported: 2, rejected: [] });
    expect(out.warnings).toContain(
      'Read as semicolon-separated (as European spreadsheets write CSV; decimal commas in times read as decimals).',
    );
    const doc = JSON.parse((await cli(['export', '1', '--format', 'json', '--notes'], dataDir)).stdout);
    expect(
      doc.segments.map((x: { startMs: number; endMs: number; note: string }) => [x.startMs, x.endMs, x.note]),
    ).toEqual([
      [1500, 2750, 'leise; schaut weg'],
      [3000, 4200, ''],
    ]);
  });

  it('imports good CSV rows, with times in seconds or hh:mm:ss.mmm, and exports them as JSON and CSV', async () => {
    const { dataDir, write } = await library();
    const file = write(
      'segments.csv',
      'type,code,start,end,significance,stage,note\n' +
        'rupture,W2,1.0,2.5,4,,"quiet, looks away"\n' +
        'repair,R4,00:00:03.000,00:00:04.200,5,W-3,\n' +
        'comment,,4.5,4.5,,,Notice the pause\n',
    );
    const res = await cli(
      ['annotations', 'import', file, '--session', '1', '--rater', 'Observer A', '--json'],
      dataDir,
    );
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ format: 'csv', imported: 3, rejected: [] });

    const doc = JSON.parse((await cli(['export', '1', '--format', 'json', '--names', '--notes'], dataDir)).stdout);
    expect(doc.codebook).toMatchObject({ name: '3RS-aligned', version: 1 });
    expect(doc.raters).toEqual([{ id: 1, name: 'Observer A', role: 'observer' }]);
    expect(
      doc.segments.map((s: { kind: string; codes: string[]; startMs: number; endMs: number }) => [
        s.kind,
        s.codes,
        s.startMs,
        s.endMs,
      ]),
    ).toEqual([
      ['rupture', ['W2'], 1000, 2500],
      ['repair', ['R4'], 3000, 4200],
      ['comment', [], 4500, 4500],
    ]);
    expect(doc.segments[0]).toMatchObject({
      rating: 4,
      note: 'quiet, looks away',
      ruptureType: 'withdrawal',
      repairStatus: 'unrepaired',
    });
    expect(doc.segments[1]).toMatchObject({ stage: 'W-3', rating: 5 });

    const core = createCore({ dataDir });
    core.annotations.link(doc.segments[1].id, doc.segments[0].id);
    core.close();
    const csv = (await cli(['export', '1', '--format', 'csv', '--names', '--notes'], dataDir)).stdout
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'session,case,rater,role,type,code,start,end,start_s,end_s,rupture_type,significance,stage,tags,linked_ruptures,repair_status,resolved,note,segment_id,linked_rupture_starts,source_file,source_at,source_tier,source_value,source_participant,source_subject,source_modifiers',
    );
    const rupture = doc.segments[0].id;
    expect(csv[1]).toBe(
      `1,C-1,Observer A,observer,rupture,W2,00:00:01.000,00:00:02.500,1.000,2.500,withdrawal,4,,,,repaired,,"quiet, looks away",${rupture},,segments.csv,line 2,,,,,`,
    );
    // A repair names the rupture it answers by a readable time and code, and by an id found in the same file.
    expect(csv[2]).toMatch(new RegExp(`,${doc.segments[1].id},00:00:01\\.000 W2,segments.csv,line 3,,,,,$`));
    expect(csv).toHaveLength(4);
  });

  it('reports every bad row with its line and reason and imports nothing, unless --skip-invalid', async () => {
    const { dataDir, write, dbState } = await library();
    const file = write(
      'bad.csv',
      'type,code,start,end,significance\n' +
        'rupture,W2,1,2,4\n' +
        'rupture,W9,1,2,\n' +
        'repair,R4,3,2,\n' +
        'breakdown,W1,1,2,\n' +
        'rupture,W1,abc,2,\n' +
        'rupture,W1,1,99,\n' +
        'rupture,W3,1,2,8\n',
    );
    const before = dbState();
    const res = await cli(['annotations', 'import', file, '--session', '1', '--rater', 'Observer B'], dataDir);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      [
        'Nothing was imported into session 1: 6 rows refused (below).',
        "Would import: bad.csv: 4 rows as Observer B's segments (our segments CSV).",
        'Would leave out: 6 rows refused (listed with where and why); nothing is imported unless they are skipped.',
        '',
      ].join('\n'),
    );
    const lines = res.stderr.trim().split('\n');
    expect(lines).toEqual([
      'line 3: W9 is not a code in the codebook "3RS-aligned".',
      'line 4: The end (00:00:02.000) must come after the start (00:00:03.000).',
      'line 5: type must be rupture, repair or comment, not "breakdown".',
      'line 6: start "abc" is not a time (seconds or hh:mm:ss.mmm).',
      expect.stringMatching(/^line 7: The segment ends at 00:01:39.000, after the end of the session/),
      'line 8: significance "8" must be a whole number from 1 to 5.',
      'alliance-review: nothing imported: 6 rows rejected (use --skip-invalid to import the rest).',
    ]);
    expect(dbState()).toEqual(before);

    const skip = await cli(
      ['annotations', 'import', file, '--session', '1', '--rater', 'Observer B', '--skip-invalid', '--json'],
      dataDir,
    );
    expect(skip.code).toBe(0);
    const out = JSON.parse(skip.stdout);
    expect(out.imported).toBe(1);
    expect(out.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('refuses a CSV without the required columns', async () => {
    const { dataDir, write } = await library();
    const res = await cli(
      ['annotations', 'import', write('x.csv', 'kind,from,to\nrupture,1,2\n'), '--session', '1', '--rater', 'A'],
      dataDir,
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'line 1: The header must name the columns type,code,start,end; missing: type, code, start, end.',
    );
  });

  it('reads ELAN tab-delimited exports, taking the kind from the tier', async () => {
    const { dataDir, write } = await library();
    const elan = [
      'Tier\tBegin Time - hh:mm:ss.ms\tBegin Time - ss.msec\tEnd Time - hh:mm:ss.ms\tEnd Time - ss.msec\tDuration - ss.msec\tAnnotation',
      'Ruptures\t00:00:01.000\t1.0\t00:00:02.000\t2.0\t1.0\tW2',
      'Repairs\t00:00:02.500\t2.5\t00:00:03.500\t3.5\t1.0\tR4',
      'Supervisor comments\t00:00:04.000\t4.0\t00:00:04.500\t4.5\t0.5\tAsk about this',
    ].join('\n');
    const res = await cli(
      [
        'annotations',
        'import',
        write('elan.txt', elan),
        '--session',
        '1',
        '--rater',
        'Supervisor S',
        '--role',
        'supervisor',
        '--json',
      ],
      dataDir,
    );
    expect(JSON.parse(res.stdout)).toMatchObject({ format: 'elan', detected: 'elan-text', imported: 3, rejected: [] });
    const doc = JSON.parse((await cli(['export', '1', '--names', '--notes'], dataDir)).stdout);
    expect(doc.raters[0]).toMatchObject({ name: 'Supervisor S', role: 'supervisor' });
    expect(doc.segments.map((s: { kind: string }) => s.kind)).toEqual(['rupture', 'repair', 'comment']);
    expect(doc.segments[2].note).toBe('Ask about this');
  });

  it('reads BORIS aggregated-event exports', async () => {
    const { dataDir, write } = await library();
    const boris = [
      'Observation id\tMedia file\tSubject\tBehavior\tBehavioral category\tModifiers\tBehavior type\tStart (s)\tStop (s)\tDuration (s)\tComment start',
      'obs1\ts.mp4\tPatient\tC1\tRupture\t\tSTATE\t1.200\t2.400\t1.2\t',
      'obs1\ts.mp4\tTherapist\tR5\tRepair\t\tSTATE\t2.600\t3.900\t1.3\tacknowledges',
    ].join('\n');
    const res = await cli(
      ['annotations', 'import', write('boris.tsv', boris), '--session', '1', '--rater', 'Coder C', '--json'],
      dataDir,
    );
    expect(JSON.parse(res.stdout)).toMatchObject({
      format: 'boris',
      detected: 'boris-aggregated',
      imported: 2,
      rejected: [],
    });
    const doc = JSON.parse((await cli(['export', '1', '--names', '--notes'], dataDir)).stdout);
    expect(doc.segments.map((s: { codes: string[]; startMs: number }) => [s.codes[0], s.startMs])).toEqual([
      ['C1', 1200],
      ['R5', 2600],
    ]);
    expect(doc.segments[0].ruptureType).toBe('confrontation');
  });
});
