/**
 * The policy as a table: every contract channel against every rule, through the contract (the
 * way the renderer calls it). A rule that does not apply to a channel says why. A refused call
 * must say so with the right code and change nothing; a read must not reveal hidden work.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshot, testCore } from '../../../tests/support/core';
import { seedSession } from '../../../tests/support/fixtures';
import { CHANNEL_NAMES, type Channel } from '../../shared/contract';
import type { Core } from '../app';
import { noDialogs } from '../platform/types';
import { dispatch } from './dispatch';
import { createHandlers, type HandlerTable } from './handlers';

const RULES = ['own-work', 'submitted-lock', 'blind', 'consensus-lane', 'session-exists'] as const;
type Rule = (typeof RULES)[number];

interface Fixture {
  core: Core;
  handlers: HandlerTable;
  sessionId: number;
  caseId: number;
  deleted: number;
  sup: number;
  /** Current rater by default: an observer with a draft. */
  a: number;
  /** An observer who submitted. */
  b: number;
  /** Another observer who submitted (sees B's work, owns none of it). */
  c: number;
  /** An observer with a draft. */
  d: number;
  patient: number;
  lane: number;
  aSeg: number;
  bSeg: number;
  bRepair: number;
  dSeg: number;
  dRepair: number;
  laneSeg: number;
  /** A trainee (takes part in feedback). */
  tr: number;
  /** A supervisor's comment about B's submitted segment (which the trainee may not see). */
  supNote: number;
}

/**
 * What a case checks: `as` is who is at the machine; `expect` a refusal code, or a function that
 * checks an answer a user may get (a filtered read).
 */
interface Case {
  as?: keyof Pick<Fixture, 'sup' | 'a' | 'b' | 'c' | 'd' | 'tr'>;
  input: (f: Fixture) => unknown;
  refused?: RegExp;
  check?: (value: unknown, f: Fixture) => void;
}
type Row = Partial<Record<Rule, Case | Case[] | string>>;

const NO_RATER_WORK = 'works on the library, not on a rater’s work';
const LIB: Row = {
  'own-work': NO_RATER_WORK,
  'submitted-lock': NO_RATER_WORK,
  blind: NO_RATER_WORK,
  'consensus-lane': NO_RATER_WORK,
};
const sessionGone = (input: (f: Fixture) => unknown): Case => ({ input, refused: /NOT_FOUND/ });
/** Ids of the segments an answer shows (segments:list, or segments:open's annotations). */
const shown = (value: unknown): number[] => {
  const v = value as { segments?: { id: number }[]; annotations?: { segments: { id: number }[] } };
  return (v.segments ?? v.annotations?.segments ?? []).map((s) => s.id);
};
const hiddenFromA = (value: unknown, f: Fixture) => {
  expect(shown(value)).toEqual([f.aSeg]);
};

const TABLE: Record<Exclude<Channel, Supervision | Interop | Talk | Packages | Lock>, Row> &
  Partial<Record<Channel, Row>> = {
  'app:info': { ...LIB, 'session-exists': 'takes no id' },
  'cases:list': { ...LIB, 'session-exists': 'takes no id' },
  'cases:create': { ...LIB, 'session-exists': 'takes no id' },
  'cases:update': { ...LIB, 'session-exists': 'takes a case id' },
  'cases:delete': { ...LIB, 'session-exists': 'takes a case id' },
  'sessions:create': { ...LIB, 'session-exists': 'creates one' },
  'sessions:update': { ...LIB, 'session-exists': sessionGone((f) => ({ id: f.deleted, notes: 'x' })) },
  'sessions:delete': { ...LIB, 'session-exists': sessionGone((f) => ({ id: f.deleted })) },
  'library:deleteImpact': { ...LIB, 'session-exists': sessionGone((f) => ({ sessionId: f.deleted })) },
  'sessions:get': { ...LIB, 'session-exists': sessionGone((f) => ({ id: f.deleted })) },
  'sessions:savePosition': { ...LIB, 'session-exists': sessionGone((f) => ({ id: f.deleted, positionMs: 5 })) },
  'recordings:import': {
    ...LIB,
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, paths: ['/nonexistent.mp4'] })),
  },
  'imports:list': { ...LIB, 'session-exists': 'takes no id' },
  'imports:cancel': { ...LIB, 'session-exists': 'takes a job id' },
  'recordings:update': { ...LIB, 'session-exists': 'takes a recording id' },
  'recordings:remove': { ...LIB, 'session-exists': 'takes a recording id' },
  'recordings:relink': { ...LIB, 'session-exists': 'takes a recording id' },
  'recordings:peaks': { ...LIB, 'session-exists': 'takes a recording id' },
  'dialogs:openMedia': { ...LIB, 'session-exists': 'takes no id' },
  'raters:list': {
    'own-work': 'lists names and roles only',
    'submitted-lock': 'reads',
    blind: 'names and roles are not work',
    'consensus-lane': 'the lane is listed with its flag',
    'session-exists': 'takes no id',
  },
  'raters:create': {
    'own-work': 'adds a person',
    'submitted-lock': 'adds a person',
    blind: 'writes',
    'consensus-lane': {
      input: () => ({ name: 'Consensus', role: 'supervisor' }),
      refused: /DUPLICATE/, // the lane holds the name; a person never becomes the lane
    },
    'session-exists': 'takes no session',
  },
  'raters:current': { ...LIB, 'session-exists': 'takes no id' },
  'raters:deleteImpact': {
    'own-work': { input: (f) => ({ id: f.b }), refused: /FORBIDDEN/ },
    'submitted-lock': 'a read',
    blind: 'a supervisor’s only (own-work)',
    'consensus-lane': { as: 'sup', input: (f) => ({ id: f.lane }), refused: /INVALID_INPUT/ },
    'session-exists': 'takes a rater id',
  },
  // An observer cannot erase another rater; a supervisor cannot erase the consensus lane.
  'raters:delete': {
    'own-work': { input: (f) => ({ id: f.b }), refused: /FORBIDDEN/ },
    'submitted-lock': 'erasure takes submitted work too, on purpose (rater-erasure tests)',
    blind: 'a supervisor’s only (own-work)',
    'consensus-lane': { as: 'sup', input: (f) => ({ id: f.lane }), refused: /INVALID_INPUT/ },
    'session-exists': { as: 'sup', input: () => ({ id: 99_999 }), refused: /NOT_FOUND/ },
  },
  'raters:setCurrent': {
    'own-work': 'choosing who sits at the machine is the workflow guard itself',
    'submitted-lock': 'changes no rating',
    blind: 'reads nothing',
    'consensus-lane': { input: (f) => ({ id: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': 'takes a rater id',
  },
  'prefs:get': { ...LIB, 'session-exists': 'takes no id' },
  'prefs:set': { ...LIB, 'session-exists': 'takes no id' },
  'codebook:get': { ...LIB, 'session-exists': 'takes no id' },
  'codebook:save': { ...LIB, 'session-exists': 'takes no id' },
  'codebook:import': { ...LIB, 'session-exists': 'takes no id' },
  'codebook:export': { ...LIB, 'session-exists': 'takes no id' },
  'segments:open': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: { input: (f) => ({ sessionId: f.sessionId }), check: hiddenFromA },
    'consensus-lane': {
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v, f) => expect(shown(v)).not.toContain(f.laneSeg),
    },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'segments:list': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: {
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v, f) => {
        hiddenFromA(v, f);
        // Who has hidden work may show; how much they marked may not.
        for (const h of (v as { hidden: object[] }).hidden) expect(Object.keys(h)).toEqual(['raterId']);
      },
    },
    'consensus-lane': {
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v, f) => expect(shown(v)).not.toContain(f.laneSeg),
    },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'segments:create': {
    'own-work': {
      input: (f) => ({ sessionId: f.sessionId, raterId: f.d, kind: 'rupture', startMs: 1000, endMs: 2000 }),
      refused: /FORBIDDEN/,
    },
    'submitted-lock': {
      as: 'b',
      input: (f) => ({ sessionId: f.sessionId, kind: 'rupture', startMs: 1000, endMs: 2000 }),
      refused: /LOCKED/,
    },
    blind: 'writes (reveals nothing)',
    'consensus-lane': {
      input: (f) => ({ sessionId: f.sessionId, raterId: f.lane, kind: 'rupture', startMs: 1000, endMs: 2000 }),
      refused: /FORBIDDEN/,
    },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, kind: 'rupture', startMs: 0, endMs: 1000 })),
  },
  'segments:update': {
    'own-work': [
      { input: (f) => ({ id: f.dSeg, startMs: 0 }), refused: /NOT_FOUND/ }, // a hidden draft: not even seen
      { as: 'c', input: (f) => ({ id: f.bSeg, note: 'mine now' }), refused: /FORBIDDEN/ },
    ],
    'submitted-lock': { as: 'b', input: (f) => ({ id: f.bSeg, note: 'late change' }), refused: /LOCKED/ },
    blind: { input: (f) => ({ id: f.bSeg, note: 'x' }), refused: /NOT_FOUND/ },
    'consensus-lane': { as: 'c', input: (f) => ({ id: f.laneSeg, startMs: 0 }), refused: /FORBIDDEN/ },
    'session-exists': 'takes a segment id (gone with its session: NOT_FOUND)',
  },
  'segments:delete': {
    'own-work': [
      { input: (f) => ({ id: f.dSeg }), refused: /NOT_FOUND/ },
      { as: 'c', input: (f) => ({ id: f.bSeg }), refused: /FORBIDDEN/ },
    ],
    'submitted-lock': { as: 'b', input: (f) => ({ id: f.bSeg }), refused: /LOCKED/ },
    blind: { input: (f) => ({ id: f.bSeg }), refused: /NOT_FOUND/ },
    'consensus-lane': { as: 'c', input: (f) => ({ id: f.laneSeg }), refused: /FORBIDDEN/ },
    'session-exists': 'takes a segment id',
  },
  'segments:link': {
    'own-work': { input: (f) => ({ repairId: f.dRepair, ruptureId: f.dSeg }), refused: /NOT_FOUND/ },
    'submitted-lock': { as: 'b', input: (f) => ({ repairId: f.bRepair, ruptureId: f.bSeg }), refused: /LOCKED/ },
    blind: { input: (f) => ({ repairId: f.bRepair, ruptureId: f.bSeg }), refused: /NOT_FOUND/ },
    'consensus-lane': 'the lane holds no repairs here; linking goes through segments:update',
    'session-exists': 'takes segment ids',
  },
  'segments:unlink': {
    'own-work': { input: (f) => ({ repairId: f.dRepair, ruptureId: f.dSeg }), refused: /NOT_FOUND/ },
    'submitted-lock': { as: 'b', input: (f) => ({ repairId: f.bRepair, ruptureId: f.bSeg }), refused: /LOCKED/ },
    blind: { input: (f) => ({ repairId: f.bRepair, ruptureId: f.bSeg }), refused: /NOT_FOUND/ },
    'consensus-lane': 'as segments:link',
    'session-exists': 'takes segment ids',
  },
  'segments:history': {
    'own-work': { input: (f) => ({ sessionId: f.sessionId, raterId: f.d }), refused: /FORBIDDEN/ },
    'submitted-lock': 'reads',
    blind: { input: (f) => ({ sessionId: f.sessionId, raterId: f.b }), refused: /FORBIDDEN/ },
    'consensus-lane': { as: 'c', input: (f) => ({ sessionId: f.sessionId, raterId: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'segments:undo': {
    'own-work': { input: (f) => ({ sessionId: f.sessionId, raterId: f.d }), refused: /FORBIDDEN/ },
    'submitted-lock': { as: 'b', input: (f) => ({ sessionId: f.sessionId }), refused: /LOCKED/ },
    blind: 'a write; refused by own-work before anything is shown',
    'consensus-lane': { input: (f) => ({ sessionId: f.sessionId, raterId: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'segments:redo': {
    'own-work': { input: (f) => ({ sessionId: f.sessionId, raterId: f.d }), refused: /FORBIDDEN/ },
    'submitted-lock': { as: 'b', input: (f) => ({ sessionId: f.sessionId }), refused: /LOCKED/ },
    blind: 'as segments:undo',
    'consensus-lane': { input: (f) => ({ sessionId: f.sessionId, raterId: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'ratings:submit': {
    'own-work': 'takes no rater: always the current rater’s own rating',
    'submitted-lock': 'submitting is what locks',
    // Once submitted, A sees the submitted work of others, never D's draft.
    blind: {
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v, f) => {
        expect(shown(v)).toContain(f.bSeg);
        expect(shown(v)).not.toContain(f.dSeg);
      },
    },
    'consensus-lane': 'nobody can be the lane (raters:setCurrent)',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'ratings:revise': {
    'own-work': 'takes no rater: always the current rater’s own rating',
    'submitted-lock': 'revising is how a lock is lifted, with a reason',
    blind: 'refused for a draft',
    'consensus-lane': 'nobody can be the lane',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, reason: 'x' })),
  },
  'consensus:accept': {
    'own-work': 'writes only the lane',
    'submitted-lock': 'reads submitted work by definition',
    blind: { as: 'sup', input: (f) => ({ segmentIds: [f.dSeg] }), refused: /INVALID_INPUT/ },
    'consensus-lane': { as: 'c', input: (f) => ({ segmentIds: [f.bSeg] }), refused: /FORBIDDEN/ },
    'session-exists': 'takes segment ids',
  },
  'sessions:summary': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: [
      { input: (f) => ({ sessionId: f.sessionId, raterId: f.b }), refused: /FORBIDDEN/ },
      { input: (f) => ({ sessionId: f.sessionId, raterId: f.d }), refused: /FORBIDDEN/ },
    ],
    'consensus-lane': { input: (f) => ({ sessionId: f.sessionId, raterId: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, raterId: null })),
  },
  'grid:get': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: { input: (f) => ({ sessionId: f.sessionId, raterId: f.d }), refused: /FORBIDDEN/ },
    'consensus-lane': { input: (f) => ({ sessionId: f.sessionId, raterId: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, raterId: f.a })),
  },
  'grid:setCell': {
    'own-work': { input: (f) => cell(f, f.d), refused: /FORBIDDEN/ },
    'submitted-lock': { as: 'b', input: (f) => cell(f, f.b), refused: /LOCKED/ },
    blind: 'a write',
    'consensus-lane': { input: (f) => cell(f, f.lane), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ ...cell(f, f.a), sessionId: f.deleted })),
  },
  'grid:setSession': {
    'own-work': { input: (f) => sessionRatings(f, f.d), refused: /FORBIDDEN/ },
    'submitted-lock': { as: 'b', input: (f) => sessionRatings(f, f.b), refused: /LOCKED/ },
    blind: 'a write',
    'consensus-lane': { input: (f) => sessionRatings(f, f.lane), refused: /FORBIDDEN/ },
    'session-exists': sessionGone((f) => ({ ...sessionRatings(f, f.a), sessionId: f.deleted })),
  },
  'grid:prefill': {
    // Pre-filling from someone else's segments would copy their hidden work into one's grid.
    'own-work': { input: (f) => ({ sessionId: f.sessionId, raterId: f.d, segmentMs: 300_000 }), refused: /FORBIDDEN/ },
    'submitted-lock': {
      as: 'b',
      input: (f) => ({ sessionId: f.sessionId, raterId: f.b, segmentMs: 300_000 }),
      refused: /LOCKED/,
    },
    blind: 'a write of one’s own grid from one’s own segments',
    'consensus-lane': {
      input: (f) => ({ sessionId: f.sessionId, raterId: f.lane, segmentMs: 300_000 }),
      refused: /FORBIDDEN/,
    },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, raterId: f.a, segmentMs: 300_000 })),
  },
  'instruments:list': { ...LIB, 'session-exists': 'takes no id' },
  'instruments:import': { ...LIB, 'session-exists': 'takes no id' },
  'responses:list': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: [
      {
        input: (f) => ({ sessionId: f.sessionId }),
        check: (v, f) => expect((v as { raterId: number }[]).map((r) => r.raterId)).toEqual([f.a]),
      },
      {
        // Self-reports are not ratings: a supervisor sees every questionnaire.
        as: 'sup',
        input: (f) => ({ sessionId: f.sessionId }),
        check: (v, f) => expect((v as { raterId: number }[]).map((r) => r.raterId)).toEqual([f.a, f.b, f.c, f.d]),
      },
    ],
    'consensus-lane': 'the lane answers no questionnaires',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'responses:save': {
    'own-work': { input: (f) => psr(f, f.d, 'observer'), refused: /FORBIDDEN/ },
    'submitted-lock': { as: 'b', input: (f) => psr(f, f.b, 'observer'), refused: /LOCKED/ },
    blind: 'a write',
    'consensus-lane': { as: 'sup', input: (f) => psr(f, f.lane, 'supervisor'), refused: /NOT_FOUND/ },
    'session-exists': sessionGone((f) => psr({ ...f, sessionId: f.deleted }, f.a, 'observer')),
  },
  'agreement:study': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    // A (a draft) sees no one else's rating in any session: no pairs anywhere.
    blind: {
      input: () => ({ bootstrap: 0 }),
      check: (v) => expect((v as { pairs: number }).pairs).toBe(0),
    },
    // The supervisor sees B and C's pair; the consensus lane is never a rater.
    'consensus-lane': {
      as: 'sup',
      input: () => ({ bootstrap: 0 }),
      check: (v, f) => {
        const s = (v as { per_session: { session_id: number; pairs: { raters: string[] }[] }[] }).per_session.find(
          (x) => x.session_id === f.sessionId,
        )!;
        expect(s.pairs.map((p) => p.raters.sort())).toEqual([['B', 'C']]);
      },
    },
    'session-exists': { input: () => ({ caseCode: 'NO-SUCH-CASE' }), refused: /NOT_FOUND/ },
  },
  'agreement:session': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: {
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v) => expect((v as { submitted_raters: string[] }).submitted_raters).toEqual([]),
    },
    'consensus-lane': {
      as: 'sup',
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v) => expect((v as { submitted_raters: string[] }).submitted_raters.sort()).toEqual(['B', 'C']),
    },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'perspectives:case': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: {
      input: (f) => ({ caseId: f.caseId }),
      check: (v) => expect(JSON.stringify(v)).not.toContain('"observer":1'),
    },
    'consensus-lane': 'the lane is never a perspective',
    'session-exists': 'takes a case id',
  },
  'perspectives:report': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: {
      input: () => ({}),
      check: (v) =>
        expect(
          (v as { perspectives: { observer: { sessions_with_data: number } } }).perspectives.observer,
        ).toMatchObject({ sessions_with_data: 0 }),
    },
    'consensus-lane': 'the lane is never a perspective',
    'session-exists': 'takes a case code',
  },
  'agreement:calibration': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: { input: (f) => ({ sessionId: f.sessionId, raterId: f.a, referenceId: f.b }), refused: /FORBIDDEN/ },
    'consensus-lane': {
      input: (f) => ({ sessionId: f.sessionId, raterId: f.a, referenceId: f.lane }),
      refused: /FORBIDDEN/,
    },
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, raterId: f.a, referenceId: f.b })),
  },
  'assignments:list': {
    'own-work': 'reads who is assigned, not their work',
    'submitted-lock': 'reads',
    blind: 'statuses only (draft/submitted), shown to everyone by design',
    'consensus-lane': 'the lane is never assigned',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'assignments:set': {
    'own-work': { input: (f) => ({ sessionId: f.sessionId, raterId: f.a }), refused: /FORBIDDEN/ }, // supervisors assign
    'submitted-lock': 'assignments are not part of a rating',
    blind: 'a write',
    'consensus-lane': { as: 'sup', input: (f) => ({ sessionId: f.sessionId, raterId: f.lane }), refused: /FORBIDDEN/ },
    'session-exists': { as: 'sup', ...sessionGone((f) => ({ sessionId: f.deleted, raterId: f.a })) },
  },
  'assignments:remove': {
    'own-work': { input: (f) => ({ sessionId: f.sessionId, raterId: f.b }), refused: /FORBIDDEN/ },
    'submitted-lock': 'assignments are not part of a rating',
    blind: 'a write',
    'consensus-lane': 'nothing to remove',
    'session-exists': { as: 'sup', ...sessionGone((f) => ({ sessionId: f.deleted, raterId: f.a })) },
  },
};

const NOT_A_RATING = 'feedback is not a rating: no submit, no lock';
const observerRefused = (input: (f: Fixture) => unknown): Case => ({ as: 'a', input, refused: /FORBIDDEN/ });
type Supervision = Extract<
  Channel,
  `feedback:${string}` | `report:${string}` | `clips:${string}` | `playlists:${string}`
>;
const FEEDBACK: Record<Supervision, Row> = {
  'feedback:list': {
    'own-work': 'reads',
    'submitted-lock': NOT_A_RATING,
    blind: [
      observerRefused((f) => ({ sessionId: f.sessionId })),
      {
        // The trainee reads the supervisor's comment at once, but not the draft segment it is about.
        as: 'tr',
        input: (f) => ({ sessionId: f.sessionId }),
        check: (v, f) => {
          const view = v as { threads: { id: number; segment: unknown }[] };
          expect(view.threads.map((t) => t.id)).toEqual([f.supNote]);
          expect(view.threads[0]!.segment).toBeNull();
        },
      },
    ],
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': { as: 'sup', ...sessionGone((f) => ({ sessionId: f.deleted })) },
  },
  'feedback:counts': {
    'own-work': 'reads',
    'submitted-lock': NOT_A_RATING,
    blind: { as: 'a', input: () => ({}), check: (v) => expect(v).toEqual([]) },
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': 'takes no id',
  },
  'feedback:add': {
    'own-work': 'the author is always the current rater',
    'submitted-lock': NOT_A_RATING,
    blind: [
      observerRefused((f) => ({ sessionId: f.sessionId, startMs: 1000, text: 'x' })),
      // About a segment the trainee may not see: as if it did not exist.
      {
        as: 'tr',
        input: (f) => ({ sessionId: f.sessionId, startMs: 1000, segmentId: f.bSeg, text: 'x' }),
        refused: /NOT_FOUND/,
      },
    ],
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': { as: 'sup', ...sessionGone((f) => ({ sessionId: f.deleted, startMs: 0, text: 'x' })) },
  },
  'feedback:reply': {
    'own-work': 'a reply is the replier’s own',
    'submitted-lock': NOT_A_RATING,
    blind: observerRefused((f) => ({ threadId: f.supNote, text: 'x' })),
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': 'takes a thread id',
  },
  'feedback:setState': {
    'own-work': {
      // Any participant acknowledges or resolves: the thread's state is shared, not someone's work.
      as: 'tr',
      input: (f) => ({ threadId: f.supNote, state: 'acknowledged' }),
      check: (v) => expect(v).toMatchObject({ state: 'acknowledged', stateBy: 'Tra' }),
    },
    'submitted-lock': NOT_A_RATING,
    blind: observerRefused((f) => ({ threadId: f.supNote, state: 'resolved' })),
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': 'takes a thread id',
  },
  'feedback:edit': {
    'own-work': { as: 'tr', input: (f) => ({ id: f.supNote, text: 'changed' }), refused: /FORBIDDEN/ },
    'submitted-lock': NOT_A_RATING,
    blind: observerRefused((f) => ({ id: f.supNote, text: 'changed' })),
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': 'takes a comment id',
  },
  'feedback:delete': {
    'own-work': { as: 'tr', input: (f) => ({ id: f.supNote }), refused: /FORBIDDEN/ },
    'submitted-lock': NOT_A_RATING,
    blind: observerRefused((f) => ({ id: f.supNote })),
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': 'takes a comment id',
  },
  'feedback:markRead': {
    'own-work': 'marks what the current rater has read',
    'submitted-lock': NOT_A_RATING,
    blind: observerRefused((f) => ({ ids: [f.supNote] })),
    'consensus-lane': 'feedback is not in any lane',
    'session-exists': 'takes comment ids',
  },
  'feedback:labels': { ...LIB, 'session-exists': 'takes no id' },
  'clips:export': {
    'own-work': 'reads (a file is written outside the library)',
    'submitted-lock': 'reads',
    // Someone else's hidden segment cannot be cut (as if it did not exist), nor a comment by an observer.
    blind: [
      {
        input: (f) => ({ sessionId: f.sessionId, segmentId: f.dSeg, out: '/nonexistent/x.mp4' }),
        refused: /NOT_FOUND|INVALID_INPUT/,
      },
    ],
    'consensus-lane': 'the lane is cut like any segment its viewer may see',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, fromMs: 0, toMs: 1000 })),
  },
  'clips:cancel': { ...LIB, 'session-exists': 'takes a job id' },
  'playlists:export': {
    'own-work': 'reads (files are written into the exports folder)',
    'submitted-lock': 'reads',
    // As for a clip: someone else's hidden segment is as if it did not exist.
    blind: { input: (f) => ({ sessionId: f.sessionId, items: [{ segmentId: f.dSeg }] }), refused: /NOT_FOUND/ },
    'consensus-lane': 'as clips:export',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, items: [{ segmentId: f.aSeg }] })),
  },
  'report:savePdf': {
    'own-work': 'reads (a file is written where the user chooses)',
    'submitted-lock': 'reads',
    blind: 'the same page as report:html, checked there',
    'consensus-lane': 'as report:html',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'report:caseHtml': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    // A rater with a draft: the case summary counts only their own work in that session.
    blind: {
      input: (f) => ({ caseId: f.caseId }),
      check: (v) => expect((v as { html: string }).html).not.toContain('<th scope="col" class="num">observer</th>'),
    },
    'consensus-lane': 'the lane is not a perspective: it is left out',
    'session-exists': 'takes a case id',
  },
  'report:html': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: {
      // A rater with a draft gets a report of their own work only: no one else's segments, no feedback.
      input: (f) => ({ sessionId: f.sessionId }),
      check: (v) => {
        const html = (v as { html: string }).html;
        expect(html).toContain('Observer A');
        expect(html).not.toMatch(/Observer B|Notice this/);
      },
    },
    'consensus-lane': 'the lane is shown to whoever may see submitted work',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'feedback:setLabels': {
    ...LIB,
    'own-work': { as: 'tr', input: () => ({ labels: ['x'] }), refused: /FORBIDDEN/ }, // supervisors keep the list
    'session-exists': 'takes no id',
  },
  'feedback:setHold': {
    ...LIB,
    // Only a supervisor holds or releases: a trainee cannot release what is held from them.
    'own-work': { as: 'tr', input: (f) => ({ sessionId: f.sessionId, hold: false }), refused: /FORBIDDEN/ },
    blind: { as: 'a', input: (f) => ({ sessionId: f.sessionId, hold: false }), refused: /FORBIDDEN/ },
    'session-exists': { as: 'sup', ...sessionGone((f) => ({ sessionId: f.deleted, hold: false })) },
  },
};
type Interop = Extract<Channel, `interop:${string}` | `exports:${string}` | `transcript:${string}`>;
const INTEROP: Record<Interop, Row> = {
  'interop:preview': {
    'own-work': 'stores nothing: it reads the file it is given',
    'submitted-lock': 'stores nothing',
    blind: {
      // The plan names only the file's tiers and the importer's own lane, never anyone's work.
      input: (f) => elanFile(f, { raters: { Ruptures: 'B' } }),
      check: (v) => {
        expect((v as { perRater: { rater: string }[] }).perRater).toEqual([{ rater: 'A', imported: 1 }]);
      },
    },
    'consensus-lane': 'stores nothing',
    'session-exists': sessionGone((f) => ({ ...elanFile(f), sessionId: f.deleted })),
  },
  'interop:import': {
    // An observer's import goes into their own lane, whatever tier → rater choice is sent.
    'own-work': {
      input: (f) => elanFile(f, { raters: { Ruptures: 'B' } }),
      check: (v, f) => {
        expect((v as { perRater: { rater: string }[] }).perRater).toEqual([{ rater: 'A', imported: 1 }]);
        expect(f.core.annotations.list(f.sessionId).segments.filter((s) => s.raterId === f.b)).toHaveLength(2);
      },
    },
    'submitted-lock': { as: 'b', input: (f) => elanFile(f), refused: /LOCKED/ },
    blind: 'writes only into the importer’s own lane (a supervisor: the lanes the file names) and answers counts only',
    'consensus-lane': {
      as: 'sup',
      input: (f) => elanFile(f, { raters: { Ruptures: 'Consensus' } }),
      refused: /INVALID_INPUT/,
    },
    'session-exists': sessionGone((f) => ({ ...elanFile(f), sessionId: f.deleted })),
  },
  'exports:session': {
    'own-work': 'reads',
    'submitted-lock': 'reads',
    blind: {
      input: (f) => ({ sessionId: f.sessionId, format: 'json' }),
      check: (v, f) => {
        const doc = JSON.parse((v as { content: string }).content) as { segments: { id: number }[] };
        expect(doc.segments.map((s) => s.id)).toEqual([f.aSeg]);
      },
    },
    'consensus-lane': 'the lane is exported to whoever may see submitted work',
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, format: 'eaf' })),
  },
  'transcript:list': {
    ...LIB,
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  // Transcription writes machine-made utterances, never anyone's rating; the session must exist
  // (said before the model file is looked at).
  'transcript:transcribe': {
    ...LIB,
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted, model: '/nonexistent-folder/model.bin' })),
  },
  'transcript:edit': {
    ...LIB,
    'session-exists': { input: () => ({ id: 999_999, text: 'x' }), refused: /NOT_FOUND/ },
  },
  'transcript:cancelTranscription': {
    ...LIB,
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'transcript:transcription': {
    ...LIB,
    'session-exists': sessionGone((f) => ({ sessionId: f.deleted })),
  },
  'transcript:search': {
    ...LIB,
    'session-exists': sessionGone((f) => ({ query: 'x', sessionId: f.deleted })),
  },
};

type Talk = Extract<Channel, `talk:${string}` | 'recordings:align' | 'scrub:status'>;
const TALK: Record<Talk, Row> = {
  'talk:session': { ...LIB, 'session-exists': sessionGone((f) => ({ sessionId: f.deleted })) },
  'talk:analyze': { ...LIB, 'session-exists': sessionGone((f) => ({ sessionId: f.deleted })) },
  'talk:nameLane': { ...LIB, 'session-exists': 'takes a case id' },
  'recordings:align': { ...LIB, 'session-exists': sessionGone((f) => ({ sessionId: f.deleted })) },
  'scrub:status': { ...LIB, 'session-exists': sessionGone((f) => ({ sessionId: f.deleted })) },
};

type Packages = Extract<
  Channel,
  | `packages:${string}`
  | `supervision:${string}`
  | `backups:${string}`
  | 'dialogs:openPackages'
  | 'dialogs:savePackage'
  | 'audit:list'
>;
const OUT = '/nonexistent-folder/package.arpkg';
const PACKAGES: Record<Packages, Row> = {
  'packages:list': { ...LIB, 'session-exists': 'takes no id' },
  // Only a supervisor sends: an observer is refused before anything is read or written.
  'packages:export': {
    'own-work': {
      input: (f) => ({ sessionIds: [f.sessionId], raterId: f.b, out: OUT, passphrase: 'p' }),
      refused: /FORBIDDEN/,
    },
    'submitted-lock': 'sending a session copies no rating',
    blind: 'refused to anyone but a supervisor (own-work)',
    'consensus-lane': {
      as: 'sup',
      input: (f) => ({ sessionIds: [f.sessionId], raterId: f.lane, out: OUT, passphrase: 'p' }),
      refused: /INVALID_INPUT/,
    },
    'session-exists': {
      as: 'sup',
      input: (f) => ({ sessionIds: [f.deleted], raterId: f.a, out: OUT, passphrase: 'p' }),
      refused: /NOT_FOUND/,
    },
  },
  'packages:open': { ...LIB, 'session-exists': 'takes a file; its sessions are created' },
  // Supervision files: between people who take part in feedback; each sends only their own lane.
  'supervision:preview': {
    'own-work': observerRefused((f) => ({ sessionId: f.sessionId, to: 'Someone Else' })),
    'submitted-lock': 'a read',
    blind: {
      as: 'tr',
      input: (f) => ({ sessionId: f.sessionId, to: 'Someone Else' }),
      check: (value) => {
        const v = value as { leftOut: string[]; shares: string[] };
        expect(v.leftOut.join(' ')).toMatch(/other raters’ lanes: never sent/);
        expect(v.shares.join(' ')).not.toMatch(/segment/);
      },
    },
    'consensus-lane': 'carries only the sender’s own lane (blind)',
    'session-exists': { as: 'tr', input: (f) => ({ sessionId: f.deleted, to: 'Someone Else' }), refused: /NOT_FOUND/ },
  },
  'supervision:send': {
    'own-work': observerRefused((f) => ({ sessionId: f.sessionId, to: 'Someone Else', out: OUT, passphrase: 'p' })),
    'submitted-lock': 'sending copies no rating',
    blind: 'carries only the sender’s own lane (as supervision:preview)',
    'consensus-lane': 'carries only the sender’s own lane',
    'session-exists': {
      as: 'tr',
      input: (f) => ({ sessionId: f.deleted, to: 'Someone Else', out: OUT, passphrase: 'p' }),
      refused: /NOT_FOUND/,
    },
  },
  'supervision:receive': {
    'own-work': observerRefused(() => ({ file: '/nonexistent-folder/x.arsup', passphrase: 'p' })),
    'submitted-lock': 'a merge replaces only the sender’s own lane (tested in supervision.test.ts)',
    blind: 'a merge shows what the policy lets the viewer see (tested in supervision.test.ts)',
    'consensus-lane': 'a file carries no consensus lane',
    'session-exists': 'takes a file; its session is made or merged',
  },
  'supervision:history': {
    'own-work': observerRefused((f) => ({ sessionId: f.sessionId })),
    'submitted-lock': 'a read',
    blind: 'names files and people, no rating',
    'consensus-lane': 'names no rater’s work',
    'session-exists': { as: 'tr', input: (f) => ({ sessionId: f.deleted }), refused: /NOT_FOUND/ },
  },
  'packages:cancel': { ...LIB, 'session-exists': 'takes no id' },
  'dialogs:openPackages': { ...LIB, 'session-exists': 'takes no id' },
  'dialogs:savePackage': { ...LIB, 'session-exists': 'takes no id' },
  'backups:list': {
    'own-work': { input: () => ({}), refused: /FORBIDDEN/ },
    'submitted-lock': 'a read',
    blind: 'a supervisor’s only (own-work)',
    'consensus-lane': 'names no rater’s work',
    'session-exists': 'takes no id',
  },
  'backups:now': {
    'own-work': { input: () => ({}), refused: /FORBIDDEN/ },
    'submitted-lock': 'copies the library; changes nothing',
    blind: 'a supervisor’s only (own-work)',
    'consensus-lane': 'names no rater’s work',
    'session-exists': 'takes no id',
  },
  'backups:restore': {
    'own-work': { input: () => ({ name: 'library-2026-01-01T00-00-00-000Z-manual.db' }), refused: /FORBIDDEN/ },
    'submitted-lock': 'puts a whole earlier library back (backups.test.ts)',
    blind: 'a supervisor’s only (own-work)',
    'consensus-lane': 'names no rater’s work',
    'session-exists': {
      as: 'sup',
      input: () => ({ name: 'library-2026-01-01T00-00-00-000Z-manual.db' }),
      refused: /NOT_FOUND/,
    },
  },
  'audit:list': {
    'own-work': { input: () => ({}), refused: /FORBIDDEN/ },
    'submitted-lock': 'a read',
    blind: 'a supervisor’s only (own-work)',
    'consensus-lane': 'names no rater’s work',
    'session-exists': 'takes no id',
  },
  'packages:return': {
    'own-work': 'only the package’s own rater returns it (packages.test.ts)',
    'submitted-lock': 'a return submits; it changes no submitted work',
    blind: 'carries only the rater’s own work',
    'consensus-lane': 'a package is never sent to the consensus lane',
    'session-exists': {
      input: () => ({ packageId: 'no-such-package', out: OUT, passphrase: 'p' }),
      refused: /NOT_FOUND/,
    },
  },
  'packages:import': {
    'own-work': { input: () => ({ files: ['/nonexistent.arpkg'], passphrase: 'p' }), refused: /FORBIDDEN/ },
    'submitted-lock': 'a newer revision is added; the submitted one is kept (packages.test.ts)',
    blind: 'refused to anyone but a supervisor (own-work)',
    'consensus-lane': 'returns carry a rater’s work, never the consensus lane',
    'session-exists': {
      as: 'sup',
      input: () => ({ files: ['/nonexistent.arpkg'], passphrase: 'p' }),
      refused: /FILE_MISSING/,
    },
  },
};

type Lock = Extract<Channel, `lock:${string}`>;
const supervisorsOnly = (input: () => unknown, what: string): Row => ({
  'own-work': { input, refused: /FORBIDDEN/ },
  'submitted-lock': what,
  blind: 'a supervisor’s only (own-work)',
  'consensus-lane': 'names no rater’s work',
  'session-exists': 'takes no id',
});
const LOCK: Record<Lock, Row> = {
  'lock:status': { ...LIB, 'session-exists': 'takes no id' },
  'lock:unlock': { ...LIB, 'session-exists': 'takes no id' },
  'lock:lock': { ...LIB, 'session-exists': 'takes no id' },
  'lock:forget': { ...LIB, 'session-exists': 'takes no id' },
  'lock:protect': supervisorsOnly(() => ({ passphrase: 'long enough passphrase' }), 'encrypts the whole library'),
  'lock:changePassphrase': supervisorsOnly(
    () => ({ current: 'long enough passphrase', next: 'another long passphrase' }),
    'changes the key’s wrap only',
  ),
  'lock:unprotect': supervisorsOnly(() => ({ passphrase: 'long enough passphrase' }), 'decrypts the whole library'),
  'lock:setAutoLock': supervisorsOnly(() => ({ minutes: 5 }), 'a setting'),
};

Object.assign(TABLE, FEEDBACK, INTEROP, TALK, PACKAGES, LOCK);

function cell(f: Fixture, raterId: number) {
  return {
    sessionId: f.sessionId,
    raterId,
    segmentMs: 300_000,
    index: 0,
    codes: ['W2'],
    withdrawalSignificance: 3,
    confrontationSignificance: null,
  };
}
function sessionRatings(f: Fixture, raterId: number) {
  return { sessionId: f.sessionId, raterId, segmentMs: 300_000, therapistContribution: 2, resolutionExtent: 3 };
}
/** An ELAN export with one rupture on a tier named "Ruptures", as the import dialog sends it. */
function elanFile(f: Pick<Fixture, 'sessionId'>, choices: Record<string, unknown> = {}) {
  const text = 'Tier\tBegin Time - msec\tEnd Time - msec\tAnnotation\nRuptures\t40000\t45000\tW2\n';
  return { sessionId: f.sessionId, fileName: 'e.txt', contentBase64: Buffer.from(text).toString('base64'), choices };
}
function psr(f: Pick<Fixture, 'sessionId'>, raterId: number, perspective: string) {
  return { sessionId: f.sessionId, raterId, perspective, instrument: '3rs-session', answers: {} };
}

let t: ReturnType<typeof testCore>;
let f: Fixture;
afterEach(() => t?.cleanup());

beforeEach(() => {
  t = testCore();
  const core = t.core;
  const { sessionId, caseId } = seedSession(core);
  const gone = seedSession(core, 'C-GONE');
  core.library.deleteSession(gone.sessionId);
  const ann = core.annotations;
  const rater = (name: string, role: 'supervisor' | 'observer' | 'patient' | 'trainee') =>
    ann.createRater(name, role).id;
  const sup = rater('Sup', 'supervisor');
  const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((n) => rater(n, 'observer')) as [number, number, number, number];
  const patient = rater('Pat', 'patient');
  const tr = ann.createRater('Tra', 'trainee').id;
  const rupture = (raterId: number, startMs: number) =>
    ann.create({ sessionId, raterId, kind: 'rupture', startMs, endMs: startMs + 5000, codes: ['W2'] }).id;
  const repair = (raterId: number, ruptureId: number, startMs: number) =>
    ann.create({ sessionId, raterId, kind: 'repair', startMs, endMs: startMs + 3000, linkedRuptureIds: [ruptureId] })
      .id;
  const aSeg = rupture(a, 10_000);
  const bSeg = rupture(b, 20_000);
  const bRepair = repair(b, bSeg, 26_000);
  rupture(c, 21_000);
  const dSeg = rupture(d, 30_000);
  const dRepair = repair(d, dSeg, 36_000);
  ann.setGridCell(cell({ sessionId } as Fixture, d));
  for (const r of [a, b, c, d])
    core.responses.save({ sessionId, raterId: r, perspective: 'observer', instrument: '3rs-session', answers: {} });
  ann.submit(sessionId, b);
  ann.submit(sessionId, c);
  const laneSeg = ann.acceptIntoConsensus([bSeg], sup).id;
  const lane = core.raters.list().find((r) => r.consensus)!.id;
  const supNote = core.feedback.add(
    { sessionId, startMs: 30_000, endMs: 35_000, segmentId: bSeg, label: 'rupture missed', text: 'Notice this.' },
    core.raters.get(sup),
  ).id;
  ann.setCurrentRater(a);
  f = {
    core,
    handlers: createHandlers(core, noDialogs, { host: 'browser', version: 'test' }),
    sessionId,
    caseId,
    deleted: gone.sessionId,
    sup,
    a,
    b,
    c,
    d,
    patient,
    lane,
    aSeg,
    bSeg,
    bRepair,
    dSeg,
    dRepair,
    laneSeg,
    tr,
    supNote,
  };
});

describe('the policy, channel by rule', () => {
  it('has a row for every channel and a case or a reason for every rule', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...CHANNEL_NAMES].sort());
    for (const [channel, row] of Object.entries(TABLE))
      for (const rule of RULES) expect(row[rule], `${channel} × ${rule}`).toBeDefined();
  });

  const rows = Object.entries(TABLE).flatMap(([channel, row]) =>
    RULES.flatMap((rule) => {
      const v = row[rule];
      if (typeof v === 'string' || v === undefined) return [];
      return (Array.isArray(v) ? v : [v]).map((c, i) => ({ channel: channel as Channel, rule, c, i }));
    }),
  );

  it.each(rows)('$channel × $rule ($i)', async ({ channel, c }) => {
    if (c.as) f.core.annotations.setCurrentRater(f[c.as]);
    const before = snapshot(f.core.db);
    const res = await dispatch(f.handlers, channel, c.input(f));
    if (c.refused) {
      expect(res.ok, JSON.stringify(res)).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toMatch(c.refused);
        expect(res.error.message).not.toMatch(/SQLITE|Something went wrong/);
      }
      const after = snapshot(f.core.db);
      // Choosing the rater for the case is the only change allowed.
      expect({ ...after, settings: null }).toEqual({ ...before, settings: null });
    } else {
      expect(res.ok, JSON.stringify(res)).toBe(true);
      if (res.ok) c.check?.(res.value, f);
    }
  });

  it('a person called "Consensus" never becomes the consensus lane', async () => {
    const core = f.core;
    // A fresh library where a person took the name before any consensus existed.
    t.cleanup();
    t = testCore();
    const { sessionId } = seedSession(t.core);
    const ann = t.core.annotations;
    const impostor = ann.createRater('Consensus', 'observer');
    const sup = ann.createRater('Sup', 'supervisor');
    const b = ann.createRater('B', 'observer');
    const seg = ann.create({ sessionId, raterId: b.id, kind: 'rupture', startMs: 0, endMs: 1000 });
    ann.submit(sessionId, b.id);
    const merged = ann.acceptIntoConsensus([seg.id], sup.id);
    const lane = t.core.raters.list().find((r) => r.consensus)!;
    expect(lane.id).not.toBe(impostor.id);
    expect(merged.raterId).toBe(lane.id);
    ann.setCurrentRater(impostor.id);
    const handlers = createHandlers(t.core, noDialogs, { host: 'browser', version: 'test' });
    const res = await dispatch(handlers, 'segments:update', { id: merged.id, note: 'hijacked' });
    expect(res).toMatchObject({ ok: false });
    expect(core).toBeDefined();
  });
});
