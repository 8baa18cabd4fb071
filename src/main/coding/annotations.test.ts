import { afterEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { mediaFile } from '../../../tests/support/media';
import { DEFAULT_CODEBOOK, parseCodebook } from '../../shared/codebook';
import type { Core } from '../app';

let t: ReturnType<typeof testCore>;
afterEach(() => t?.cleanup());

/** A core with one 6-second session and a current observer. */
async function setup(): Promise<{ core: Core; sessionId: number; raterId: number }> {
  t = testCore();
  const core = t.core;
  const c = core.library.createCase({ code: 'C-1', therapist: '', notes: '' });
  const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  await core.imports.importOne(s.id, mediaFile('av.mp4'), { offsetMs: 0, copy: false });
  const rater = core.annotations.createRater('Observer A', 'observer');
  core.annotations.setCurrentRater(rater.id);
  return { core, sessionId: s.id, raterId: rater.id };
}

describe('segments', () => {
  it('creates a rupture with markers and significance, inferring its type', async () => {
    const { core, sessionId, raterId } = await setup();
    const r = core.annotations.create({
      sessionId,
      kind: 'rupture',
      startMs: 1000,
      endMs: 2500,
      codes: ['w2'],
      rating: 4,
      note: 'goes quiet',
    });
    expect(r).toMatchObject({
      raterId,
      kind: 'rupture',
      codes: ['W2'],
      ruptureType: 'withdrawal',
      rating: 4,
      note: 'goes quiet',
    });
    expect(r.codebookVersionId).toBe(core.annotations.codebook().versionId);
    const both = core.annotations.create({
      sessionId,
      kind: 'rupture',
      startMs: 3000,
      endMs: 3500,
      codes: ['W1', 'C2'],
    });
    expect(both.ruptureType).toBe('both');
  });

  it('refuses invalid segments with specific messages and stores nothing', async () => {
    const { core, sessionId } = await setup();
    const before = snapshot(core.db);
    const bad: [Parameters<Core['annotations']['create']>[0], RegExp][] = [
      [{ sessionId, kind: 'rupture', startMs: 2000, endMs: 2000 }, /must come after the start/],
      [{ sessionId, kind: 'rupture', startMs: 3000, endMs: 1000 }, /must come after the start/],
      [{ sessionId, kind: 'rupture', startMs: 1000, endMs: 60_000 }, /after the end of the session \(00:00:06/],
      [
        { sessionId, kind: 'rupture', startMs: 0, endMs: 1000, codes: ['W9'] },
        /W9 is not a code in the codebook "3RS-aligned"/,
      ],
      [
        { sessionId, kind: 'rupture', startMs: 0, endMs: 1000, codes: ['R4'] },
        /R4 .* is a repair code; it cannot be used on a rupture/,
      ],
      [{ sessionId, kind: 'repair', startMs: 0, endMs: 1000, codes: ['W2'] }, /cannot be used on a repair/],
      [
        { sessionId, kind: 'rupture', startMs: 0, endMs: 1000, codes: ['C1'], ruptureType: 'withdrawal' },
        /choose the type "both"/,
      ],
      [{ sessionId, kind: 'rupture', startMs: 0, endMs: 1000, rating: 7 }, /1 to 5/],
      [{ sessionId, kind: 'comment', startMs: 0, endMs: 0, codes: ['W1'] }, /comment has text/],
      [{ sessionId, kind: 'repair', startMs: 0, endMs: 1000, stage: 'Z-9' }, /not a stage/],
    ];
    for (const [input, message] of bad)
      expect(() => core.annotations.create(input), JSON.stringify(input)).toThrow(message);
    expect(snapshot(core.db)).toEqual(before);
  });

  it('allows point comments and lets the trainee mark them resolved', async () => {
    const { core, sessionId } = await setup();
    const c = core.annotations.create({
      sessionId,
      kind: 'comment',
      startMs: 1500,
      endMs: 1500,
      note: 'Notice the pause here',
    });
    expect(core.annotations.update({ id: c.id, resolved: true }).resolved).toBe(true);
  });

  it('links repairs to ruptures of the same session and rater only', async () => {
    const { core, sessionId } = await setup();
    const rupture = core.annotations.create({
      sessionId,
      kind: 'rupture',
      startMs: 1000,
      endMs: 2000,
      codes: ['W2'],
      rating: 4,
    });
    const repair = core.annotations.create({
      sessionId,
      kind: 'repair',
      startMs: 2500,
      endMs: 4000,
      codes: ['R4'],
      rating: 4,
      stage: 'W-3',
      linkedRuptureIds: [rupture.id],
    });
    expect(repair.linkedRuptureIds).toEqual([rupture.id]);
    const list = core.annotations.list(sessionId);
    expect(list.ruptureStatus).toEqual([
      { ruptureId: rupture.id, status: 'repaired', repairIds: [repair.id], msToFirstRepair: 1500 },
    ]);

    const other = core.annotations.createRater('Observer B', 'observer');
    const theirs = core.annotations.create({
      sessionId,
      raterId: other.id,
      kind: 'rupture',
      startMs: 100,
      endMs: 900,
      codes: ['C1'],
    });
    expect(() => core.annotations.link(repair.id, theirs.id)).toThrow(
      'Links join segments of the same session and the same rater.',
    );
    expect(() => core.annotations.link(rupture.id, repair.id)).toThrow(/Only a repair/);
    const comment = core.annotations.create({ sessionId, kind: 'comment', startMs: 10, endMs: 10, note: 'x' });
    expect(() => core.annotations.update({ id: repair.id, linkedRuptureIds: [comment.id] })).toThrow(
      /only be linked to a rupture/,
    );
    // A confrontation stage cannot describe the repair of a withdrawal rupture.
    expect(() => core.annotations.update({ id: repair.id, stage: 'C-3' })).toThrow(/confrontation model/);
  });

  it('derives partly repaired and unrepaired ruptures and the summary', async () => {
    const { core, sessionId, raterId } = await setup();
    const a = core.annotations.create({
      sessionId,
      kind: 'rupture',
      startMs: 0,
      endMs: 1000,
      codes: ['W2'],
      rating: 3,
    });
    const b = core.annotations.create({
      sessionId,
      kind: 'rupture',
      startMs: 500,
      endMs: 2000,
      codes: ['C5'],
      rating: 5,
    });
    core.annotations.create({ sessionId, kind: 'rupture', startMs: 4000, endMs: 5000, codes: ['W2', 'W7'] });
    core.annotations.create({
      sessionId,
      kind: 'repair',
      startMs: 1200,
      endMs: 1800,
      codes: ['R1'],
      rating: 2,
      linkedRuptureIds: [a.id],
    });
    core.annotations.create({
      sessionId,
      kind: 'repair',
      startMs: 3000,
      endMs: 3500,
      codes: ['R5'],
      rating: 5,
      linkedRuptureIds: [b.id],
    });
    const s = core.annotations.summary(sessionId, raterId);
    expect(s).toMatchObject({
      ruptures: 3,
      byType: { withdrawal: 2, confrontation: 1, both: 0 },
      byMarker: { W2: 2, C5: 1, W7: 1 },
      repairs: 2,
      totalRuptureMs: 3000, // 0–2000 overlapping counted once, plus 4000–5000
      medianMsToRepair: (1200 + 2500) / 2,
    });
    expect(s.shareRepaired).toBeCloseTo((0.5 + 1 + 0) / 3, 6);
    expect(s.unrepaired.map((u) => u.startMs)).toEqual([4000]);
  });
});

describe('undo and redo', () => {
  it('walks back and forth through creation, move, resize, edit and link', async () => {
    const { core, sessionId, raterId } = await setup();
    const states: string[] = [];
    const state = () => JSON.stringify(core.annotations.list(sessionId).segments);
    states.push(state());
    const r = core.annotations.create({ sessionId, kind: 'rupture', startMs: 1000, endMs: 2000, codes: ['W2'] });
    states.push(state());
    core.annotations.update({ id: r.id, startMs: 1500, endMs: 2500 });
    states.push(state());
    core.annotations.update({ id: r.id, endMs: 3000 });
    states.push(state());
    core.annotations.update({ id: r.id, rating: 4, note: 'clear' });
    states.push(state());
    const p = core.annotations.create({ sessionId, kind: 'repair', startMs: 3200, endMs: 4000, codes: ['R4'] });
    states.push(state());
    core.annotations.link(p.id, r.id);
    states.push(state());

    expect(core.annotations.list(sessionId, raterId).undoLabel).toBe('Undo edit of R4 repair at 00:00:03');
    for (let i = states.length - 2; i >= 0; i--) {
      core.annotations.undo(sessionId, raterId);
      expect(state()).toBe(states[i]);
    }
    expect(() => core.annotations.undo(sessionId, raterId)).toThrow(/nothing to undo/);
    for (let i = 1; i < states.length; i++) {
      core.annotations.redo(sessionId, raterId);
      expect(state()).toBe(states[i]);
    }
    expect(() => core.annotations.redo(sessionId, raterId)).toThrow(/nothing to redo/);
  });

  it('undoing the deletion of a rupture brings back the links of its repairs', async () => {
    const { core, sessionId, raterId } = await setup();
    const r = core.annotations.create({
      sessionId,
      kind: 'rupture',
      startMs: 1000,
      endMs: 2000,
      codes: ['W2'],
      rating: 4,
    });
    const p1 = core.annotations.create({
      sessionId,
      kind: 'repair',
      startMs: 2100,
      endMs: 2600,
      codes: ['R4'],
      linkedRuptureIds: [r.id],
    });
    const p2 = core.annotations.create({
      sessionId,
      kind: 'repair',
      startMs: 2700,
      endMs: 3600,
      codes: ['R6'],
      linkedRuptureIds: [r.id],
    });
    const view = () => {
      const l = core.annotations.list(sessionId);
      return JSON.stringify([l.segments, l.ruptureStatus]);
    };
    const before = view();
    core.annotations.delete(r.id);
    const afterDelete = core.annotations.list(sessionId);
    expect(afterDelete.segments.find((s) => s.id === p1.id)!.linkedRuptureIds).toEqual([]);
    expect(afterDelete.segments.find((s) => s.id === p2.id)!.linkedRuptureIds).toEqual([]);
    expect(core.annotations.list(sessionId, raterId).undoLabel).toBe('Undo deletion of W2 rupture at 00:00:01');
    core.annotations.undo(sessionId, raterId);
    expect(view()).toBe(before);
    core.annotations.redo(sessionId, raterId);
    expect(core.annotations.list(sessionId).segments.map((s) => s.id)).toEqual([p1.id, p2.id]);
  });

  it('a new change after undo ends the redo branch', async () => {
    const { core, sessionId, raterId } = await setup();
    const r = core.annotations.create({ sessionId, kind: 'rupture', startMs: 1000, endMs: 2000 });
    core.annotations.update({ id: r.id, endMs: 2500 });
    core.annotations.undo(sessionId, raterId);
    core.annotations.update({ id: r.id, note: 'instead' });
    expect(core.annotations.list(sessionId, raterId).canRedo).toBe(false);
  });
});

describe('codebook', () => {
  it('ships the 3RS-aligned codebook in our own words', () => {
    const keys = DEFAULT_CODEBOOK.codes.map((c) => c.key);
    for (const k of ['W1', 'W7', 'C1', 'C7', 'R1', 'R10', 'META', 'EXP']) expect(keys).toContain(k);
    expect(
      DEFAULT_CODEBOOK.codes.filter((c) => c.category === 'repair' && c.group === 'immediate').map((c) => c.key),
    ).toEqual(['R1', 'R2', 'R3']);
    expect(DEFAULT_CODEBOOK.stages.filter((s) => s.model === 'withdrawal')).toHaveLength(5);
    expect(DEFAULT_CODEBOOK.stages.filter((s) => s.model === 'confrontation')).toHaveLength(6);
    expect(DEFAULT_CODEBOOK.codes.every((c) => /^#[0-9A-Fa-f]{6}$/.test(c.color) && c.description.length > 0)).toBe(
      true,
    );
  });

  it('takes quick keys that the player does not use, one per code, never on a tag', () => {
    const withKey = (key: string, quickKey: string) =>
      JSON.stringify({
        ...DEFAULT_CODEBOOK,
        codes: DEFAULT_CODEBOOK.codes.map((c) => (c.key === key ? { ...c, quickKey } : c)),
      });
    const ok = parseCodebook(withKey('W2', 'Q'));
    expect(ok.ok && ok.value.codes.find((c) => c.key === 'W2')!.quickKey).toBe('q');
    expect(parseCodebook(withKey('W2', 'r'))).toEqual({
      ok: false,
      message: expect.stringContaining("R cannot be a quick key (it is one of the player's keys"),
    });
    expect(parseCodebook(withKey('W2', '0'))).toMatchObject({ ok: false });
    expect(parseCodebook(withKey('W2', 'ef'))).toMatchObject({ ok: false });
    expect(parseCodebook(withKey('META', '7'))).toEqual({
      ok: false,
      message: expect.stringContaining('META is an intervention tag'),
    });
    const twice = JSON.parse(withKey('W2', '1')) as typeof DEFAULT_CODEBOOK;
    twice.codes.find((c) => c.key === 'C1')!.quickKey = '1';
    expect(parseCodebook(JSON.stringify(twice))).toEqual({
      ok: false,
      message: 'codes[7].quickKey: the quick key 1 is given to both W2 and C1',
    });
  });

  it('versions every change; retiring keeps old annotations intact and blocks new use', async () => {
    const { core, sessionId } = await setup();
    const v1 = core.annotations.codebook();
    const seg = core.annotations.create({ sessionId, kind: 'rupture', startMs: 0, endMs: 1000, codes: ['W6'] });
    const def = structuredClone(v1.definition);
    def.codes.find((c) => c.key === 'W6')!.retired = true;
    def.codes.find((c) => c.key === 'W2')!.label = 'Minimal or absent response';
    const v2 = core.annotations.saveCodebook(def);
    expect(v2.version).toBe(v1.version + 1);
    expect(core.annotations.list(sessionId).segments[0]).toMatchObject({
      id: seg.id,
      codes: ['W6'],
      codebookVersionId: v1.versionId,
    });
    expect(() =>
      core.annotations.create({ sessionId, kind: 'rupture', startMs: 0, endMs: 1000, codes: ['W6'] }),
    ).toThrow(/retired/);
    // The old annotation can still be edited while keeping its retired code.
    expect(core.annotations.update({ id: seg.id, codes: ['W6', 'W2'] }).codes).toEqual(['W6', 'W2']);
    const without = structuredClone(v2.definition);
    without.codes = without.codes.filter((c) => c.key !== 'W6');
    expect(() => core.annotations.saveCodebook(without)).toThrow(/retired, not removed: W6/);
  });

  it('names the first problem of a bad codebook file', () => {
    expect(parseCodebook('{ nope')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid JSON/) });
    const bad = structuredClone(DEFAULT_CODEBOOK) as unknown as { codes: { color: string }[] };
    bad.codes[3]!.color = 'blue';
    expect(parseCodebook(JSON.stringify(bad))).toEqual({
      ok: false,
      message: 'codes[3].color: a color is written #rrggbb',
    });
    const dup = structuredClone(DEFAULT_CODEBOOK);
    dup.codes[1]!.key = 'W1';
    expect(parseCodebook(JSON.stringify(dup))).toEqual({
      ok: false,
      message: 'codes[1].key: the key W1 is used twice',
    });
    expect(parseCodebook(JSON.stringify({ name: 'x', codes: [] }))).toEqual({
      ok: false,
      message: 'codes: a codebook needs at least one code',
    });
  });
});

describe('3RS grid', () => {
  it('cuts the session into fixed segments, pre-fills from events and keeps edits', async () => {
    const { core, sessionId, raterId } = await setup();
    expect(core.annotations.grid(sessionId, raterId).cells).toHaveLength(1); // 6 s in 5-minute segments
    const g = core.annotations.grid(sessionId, raterId, 10_000);
    expect(g.cells).toHaveLength(1);
    core.annotations.create({ sessionId, kind: 'rupture', startMs: 1000, endMs: 2000, codes: ['W2'], rating: 4 });
    core.annotations.create({ sessionId, kind: 'repair', startMs: 2500, endMs: 3000, codes: ['R4'] });
    const filled = core.annotations.prefillGrid(sessionId, raterId, 10_000);
    expect(filled.cells[0]).toMatchObject({
      codes: ['R4', 'W2'],
      withdrawalSignificance: 4,
      confrontationSignificance: null,
    });
    const edited = core.annotations.setGridCell({
      sessionId,
      raterId,
      segmentMs: 10_000,
      index: 0,
      codes: ['W2', 'C1'],
      withdrawalSignificance: 3,
      confrontationSignificance: 2,
    });
    expect(edited.cells[0]).toMatchObject({
      codes: ['W2', 'C1'],
      withdrawalSignificance: 3,
      confrontationSignificance: 2,
    });
    expect(() =>
      core.annotations.setGridCell({
        sessionId,
        raterId,
        segmentMs: 10_000,
        index: 5,
        codes: [],
        withdrawalSignificance: null,
        confrontationSignificance: null,
      }),
    ).toThrow(/no segment 6/);
    const session = core.annotations.setGridSession({
      sessionId,
      raterId,
      segmentMs: 10_000,
      therapistContribution: 2,
      resolutionExtent: 4,
    });
    expect(session).toMatchObject({ therapistContribution: 2, resolutionExtent: 4 });
  });
});

describe('blind rating, submission and consensus', () => {
  it("hides other raters' work until both have submitted; a submitted rating is locked until revised", async () => {
    const { core, sessionId, raterId: a } = await setup();
    const b = core.annotations.createRater('Observer B', 'observer').id;
    const sup = core.annotations.createRater('Dr. S', 'supervisor').id;
    core.annotations.create({ sessionId, raterId: a, kind: 'rupture', startMs: 1000, endMs: 2000, codes: ['W2'] });
    core.annotations.create({ sessionId, raterId: b, kind: 'rupture', startMs: 1200, endMs: 2100, codes: ['W2'] });
    const seen = (viewer: number) => core.annotations.list(sessionId, viewer).segments.map((s) => s.raterId);
    expect(seen(a)).toEqual([a]);
    expect(core.annotations.list(sessionId, a).hidden).toEqual([{ raterId: b }]);
    expect(seen(sup)).toEqual([]); // supervisors see submitted ratings only
    core.annotations.submit(sessionId, a);
    expect(seen(a)).toEqual([a]); // B is still a draft
    expect(seen(sup)).toEqual([a]);
    core.annotations.submit(sessionId, b);
    expect(seen(a)).toEqual([a, b]);
    expect(seen(b)).toEqual([a, b]);

    expect(() =>
      core.annotations.create({ sessionId, raterId: a, kind: 'comment', startMs: 10, endMs: 10, note: 'x' }),
    ).toThrow(/submitted. Start a revision/);
    expect(() => core.annotations.undo(sessionId, a)).toThrow(/submitted/);
    expect(() => core.annotations.revise(sessionId, a, ' ')).toThrow(/Say why/);
    core.annotations.revise(sessionId, a, 'Re-watched 00:01; the rupture starts earlier');
    expect(core.annotations.list(sessionId, a).ratings.find((r) => r.raterId === a)).toMatchObject({
      status: 'draft',
      revision: 2,
    });
    expect(core.annotations.revisions(sessionId, a)).toEqual([
      { revision: 1, reason: 'Re-watched 00:01; the rupture starts earlier', createdAt: expect.any(String) },
    ]);
    expect(seen(a)).toEqual([a]); // back to blind while revising
    expect(seen(sup)).toEqual([b]);
  });

  it('a supervisor builds a consensus lane from submitted segments, recording the sources; undoable', async () => {
    const { core, sessionId, raterId: a } = await setup();
    const b = core.annotations.createRater('Observer B', 'observer').id;
    const sup = core.annotations.createRater('Dr. S', 'supervisor').id;
    const sa = core.annotations.create({
      sessionId,
      raterId: a,
      kind: 'rupture',
      startMs: 1000,
      endMs: 2000,
      codes: ['W2'],
      rating: 3,
    });
    const sb = core.annotations.create({
      sessionId,
      raterId: b,
      kind: 'rupture',
      startMs: 1200,
      endMs: 2600,
      codes: ['W2', 'W5'],
      rating: 4,
    });
    expect(() => core.annotations.acceptIntoConsensus([sa.id], sup)).toThrow(/Only submitted ratings/);
    core.annotations.submit(sessionId, a);
    core.annotations.submit(sessionId, b);
    expect(() => core.annotations.acceptIntoConsensus([sa.id], a)).toThrow(/Only a supervisor/);
    const merged = core.annotations.acceptIntoConsensus([sa.id, sb.id], sup);
    expect(merged).toMatchObject({
      startMs: 1000,
      endMs: 2600,
      codes: ['W2', 'W5'],
      rating: 4,
      sources: [
        { segmentId: sa.id, raterId: a, acceptedBy: sup },
        { segmentId: sb.id, raterId: b, acceptedBy: sup },
      ],
    });
    const consensusId = core.annotations.consensusRater().id;
    expect(merged.raterId).toBe(consensusId);
    core.annotations.undo(sessionId, consensusId);
    expect(core.annotations.list(sessionId).segments.some((s) => s.raterId === consensusId)).toBe(false);
    core.annotations.redo(sessionId, consensusId);
    expect(core.annotations.list(sessionId, sup).segments.find((s) => s.raterId === consensusId)!.sources).toHaveLength(
      2,
    );
  });
});
