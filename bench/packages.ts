/**
 * Rating packages (issue 13): a package of 20 sessions without media, exported by the
 * supervisor's library, opened in an observer's, coded (40 segments a session), returned and
 * imported; then the same return imported again. Targets: export and import each under 2 s;
 * the second import under 1 s, changing nothing. Each step is one call of the package service,
 * timed in process (scrypt's key derivation included: it is most of a small package's cost).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SegmentInput } from '../src/main/coding/annotations';
import { createCore } from '../src/main/app';
import { standInRecording } from './media';

const PASS = 'bench passphrase';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-packages-'));
const sup = createCore({ dataDir: path.join(tmp, 'supervisor') });
const obs = createCore({ dataDir: path.join(tmp, 'observer') });
const c = sup.library.createCase({ code: 'C-BENCH', therapist: 'Dr. T', notes: '' });
const rater = sup.annotations.createRater('Observer A', 'observer');
const sessionIds: number[] = [];
sup.db.transaction(() => {
  for (let i = 0; i < 20; i++) {
    const s = sup.library.createSession({ caseId: c.id, number: i + 1, date: null, modality: '', notes: '' });
    sessionIds.push(s.id);
    sup.repos.recordings.insert(standInRecording(s.id, i, true));
  }
})();
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await fn();
  return [v, Math.round(performance.now() - t0)];
};

async function main() {
  const pkg = path.join(tmp, 'package.arpkg');
  const [, exportMs] = await time(() =>
    sup.packages.exportRating({ sessionIds, rater: rater.name, out: pkg, passphrase: PASS }),
  );
  const [opened, openMs] = await time(() => obs.packages.open(pkg, PASS));
  const me = obs.raters.current()!;
  for (const s of opened.sessions) {
    const rows: { line: number; input: SegmentInput }[] = [];
    for (let k = 0; k < 40; k++)
      rows.push({
        line: k + 1,
        input: {
          sessionId: s.sessionId,
          raterId: me.id,
          kind: 'rupture',
          startMs: k * 60_000,
          endMs: k * 60_000 + 5_000,
          codes: ['W2'],
        },
      });
    obs.annotations.importSegments(rows, false);
  }
  const back = path.join(tmp, 'return.arpkg');
  const [, returnMs] = await time(() => obs.packages.writeReturn({ out: back, passphrase: PASS }));
  const [, importMs] = await time(() => sup.packages.importReturns([back], PASS));
  const [again, reimportMs] = await time(() => sup.packages.importReturns([back], PASS));
  const imported = sup.annotations.list(sessionIds[0]!).segments.length;
  console.log(
    JSON.stringify(
      {
        benchmark: 'rating-packages',
        sessions: sessionIds.length,
        segments_per_session: 40,
        package_bytes: fs.statSync(pkg).size,
        return_bytes: fs.statSync(back).size,
        export_ms: { ms: exportMs, target: 2000 },
        open_ms: openMs,
        return_ms: returnMs,
        import_ms: { ms: importMs, target: 2000, segments_in_first_session: imported },
        reimport_ms: { ms: reimportMs, target: 1000, changed_nothing: again[0]!.alreadyDone },
      },
      null,
      2,
    ),
  );
  sup.close();
  obs.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
