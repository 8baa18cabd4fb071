/**
 * The cost of protecting a library with a passphrase (issue 13): the same library, plain and
 * encrypted (SQLCipher 4's format through SQLite3MC), measured the same way.
 * - open: the library opened by the core (createCore: open, quick check when changed, migrations
 *   check, services), median of 15; plus the passphrase's key derivation (scrypt) on its own, which
 *   an unlock adds once;
 * - edit round trip in the store: a segment nudged through the contract (validated, policy,
 *   written with its edit-log entry in one transaction, answered with the undo state), median of
 *   400, on a session of 2,000 segments; and a new segment created the same way.
 * The browser's part of the round trip (render, paint) is the same either way: see `annotate`.
 * Prints one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore, type Core } from '../src/main/app';
import { protectLibrary, protectionState, unwrapKey } from '../src/main/protection/library-key';
import { dispatch } from '../src/main/rpc/dispatch';
import { createHandlers } from '../src/main/rpc/handlers';
import { noDialogs } from '../src/main/platform/types';
import { standInRecording } from './media';

const PASS = 'bench passphrase of some length';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 100) / 100;

function seed(dataDir: string): number {
  const core = createCore({ dataDir });
  const c = core.library.createCase({ code: 'C-ENC', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  core.repos.recordings.insert(standInRecording(s.id, 0, true));
  const rater = core.annotations.createRater('Observer A', 'observer');
  core.annotations.setCurrentRater(rater.id);
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    line: i + 1,
    input: {
      sessionId: s.id,
      raterId: rater.id,
      kind: (i % 2 ? 'repair' : 'rupture') as 'repair' | 'rupture',
      startMs: i * 1500,
      endMs: i * 1500 + 1200,
      codes: [i % 2 ? 'R1' : 'W1'],
      rating: (i % 5) + 1,
      note: '',
    },
  }));
  core.annotations.importSegments(rows, false);
  core.close();
  return s.id;
}

async function measure(dataDir: string, sessionId: number, key?: Buffer) {
  const opens: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const core = createCore({ dataDir, key });
    opens.push(performance.now() - t);
    core.close();
  }
  const core: Core = createCore({ dataDir, key });
  const handlers = createHandlers(core, noDialogs, { host: 'browser', version: 'bench' });
  const segs = core.annotations.list(sessionId).segments;
  const edits: number[] = [];
  for (let i = 0; i < 400; i++) {
    const seg = segs[(i * 37) % segs.length]!;
    const t = performance.now();
    const r = await dispatch(handlers, 'segments:update', { id: seg.id, startMs: seg.startMs + (i % 2 ? 0 : 100) });
    edits.push(performance.now() - t);
    if (!r.ok) throw new Error(r.error.message);
  }
  const creates: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await dispatch(handlers, 'segments:create', {
      sessionId,
      kind: 'rupture',
      startMs: i * 9000 + 1250,
      endMs: i * 9000 + 1450,
      codes: ['W2'],
      rating: 3,
    });
    creates.push(performance.now() - t);
    if (!r.ok) throw new Error(r.error.message);
  }
  core.close();
  return { open_ms: round(median(opens)), edit_ms: round(median(edits)), create_ms: round(median(creates)) };
}

async function main() {
  const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-plain-'));
  const encDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-bench-enc-'));
  try {
    const sessionId = seed(plainDir);
    seed(encDir);
    let t = performance.now();
    await protectLibrary(encDir, PASS);
    const protectMs = performance.now() - t;
    const state = protectionState(encDir);
    if (!state.protected || !state.keyFile) throw new Error('not protected');
    t = performance.now();
    const key = await unwrapKey(state.keyFile, PASS);
    const unlockKdfMs = performance.now() - t;
    // Alternate, so that the machine's drift falls on both alike.
    const plain1 = await measure(plainDir, sessionId);
    const enc1 = await measure(encDir, sessionId, key);
    const plain2 = await measure(plainDir, sessionId);
    const enc2 = await measure(encDir, sessionId, key);
    const pick = (a: number, b: number) => round(Math.min(a, b));
    const plain = {
      open_ms: pick(plain1.open_ms, plain2.open_ms),
      edit_ms: pick(plain1.edit_ms, plain2.edit_ms),
      create_ms: pick(plain1.create_ms, plain2.create_ms),
    };
    const encrypted = {
      open_ms: pick(enc1.open_ms, enc2.open_ms),
      edit_ms: pick(enc1.edit_ms, enc2.edit_ms),
      create_ms: pick(enc1.create_ms, enc2.create_ms),
    };
    const bytes = fs.statSync(path.join(plainDir, 'alliance-review.db')).size;
    console.log(
      JSON.stringify(
        {
          library_bytes: bytes,
          segments: 2000,
          plain,
          encrypted,
          edit_cost_percent: round(((encrypted.edit_ms - plain.edit_ms) / plain.edit_ms) * 100),
          create_cost_percent: round(((encrypted.create_ms - plain.create_ms) / plain.create_ms) * 100),
          open_cost_ms: round(encrypted.open_ms - plain.open_ms),
          unlock_kdf_ms: round(unlockKdfMs),
          protect_ms: round(protectMs),
        },
        null,
        2,
      ),
    );
  } finally {
    fs.rmSync(plainDir, { recursive: true, force: true });
    fs.rmSync(encDir, { recursive: true, force: true });
  }
}

void main();
