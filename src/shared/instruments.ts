/**
 * Questionnaire instruments as data: items with a scale (range and anchors), yes/no, or free
 * text; optional reverse keying; subscales; scoring by sum or mean per subscale and in total.
 * The shipped definitions are structure only: official item wording of WAI, SRS or PSQ is never
 * included (domain.md, Licensing) — a licensed user pastes it into the item texts.
 */
import { z } from 'zod';
import { ROLES } from './annotations';

export const itemSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'an item id is up to 40 letters, digits, _ . or -'),
    type: z.literal('scale'),
    text: z.string().min(1).max(500),
    min: z.number().int(),
    max: z.number().int(),
    anchors: z.record(z.string(), z.string()).default({}),
    reverse: z.boolean().default(false),
    subscale: z.string().max(40).optional(),
  }),
  z.object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'an item id is up to 40 letters, digits, _ . or -'),
    type: z.literal('yesno'),
    text: z.string().min(1).max(500),
    subscale: z.string().max(40).optional(),
  }),
  z.object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'an item id is up to 40 letters, digits, _ . or -'),
    type: z.literal('text'),
    text: z.string().min(1).max(500),
  }),
]);

export const instrumentSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]{1,40}$/, 'an instrument key is lowercase letters, digits and dashes'),
  name: z.string().min(1).max(120),
  /** Who fills it in. */
  perspectives: z.array(z.enum(ROLES)).min(1),
  items: z.array(itemSchema).min(1),
  scoring: z.enum(['sum', 'mean']).default('mean'),
  note: z.string().max(1000).default(''),
});

export type Item = z.output<typeof itemSchema>;
export type Instrument = z.output<typeof instrumentSchema>;
export type Answers = Record<string, number | boolean | string | null>;

/** Checks answers against the items; returns the first problem in words, or null. */
export function checkAnswers(inst: Instrument, answers: Answers): string | null {
  for (const [id, v] of Object.entries(answers)) {
    const item = inst.items.find((i) => i.id === id);
    if (!item) return `${inst.name} has no item "${id}".`;
    if (v === null || v === '') continue;
    if (item.type === 'scale' && !(typeof v === 'number' && Number.isInteger(v) && v >= item.min && v <= item.max)) {
      return `${id} takes a whole number from ${item.min} to ${item.max}, not "${String(v)}".`;
    }
    if (item.type === 'yesno' && typeof v !== 'boolean') return `${id} takes yes or no, not "${String(v)}".`;
    if (item.type === 'text' && typeof v !== 'string') return `${id} takes text.`;
  }
  return null;
}

/** Scores per subscale and in total (reverse-keyed items flipped: min + max − value). */
export function score(
  inst: Instrument,
  answers: Answers,
): { subscales: Record<string, number | null>; total: number | null } {
  const groups = new Map<string, number[]>();
  const all: number[] = [];
  for (const item of inst.items) {
    if (item.type !== 'scale') continue;
    const v = answers[item.id];
    if (typeof v !== 'number') continue;
    const value = item.reverse ? item.min + item.max - v : v;
    all.push(value);
    if (item.subscale) groups.set(item.subscale, [...(groups.get(item.subscale) ?? []), value]);
  }
  const agg = (xs: number[]) =>
    xs.length === 0
      ? null
      : inst.scoring === 'sum'
        ? xs.reduce((a, b) => a + b, 0)
        : xs.reduce((a, b) => a + b, 0) / xs.length;
  return { subscales: Object.fromEntries([...groups].map(([k, xs]) => [k, agg(xs)])), total: agg(all) };
}

/** Whether a response reports a rupture: a yes on an item with id `tension`. */
export function reportsRupture(answers: Answers): boolean | null {
  const v = answers.tension;
  return typeof v === 'boolean' ? v : null;
}

const five = (low: string, high: string) => ({ '1': low, '5': high });
const placeholder = (n: number) => `WAI-SR item ${n} — paste the licensed wording here`;

/** Post-session rupture report: the same structure for patient and therapist, our own wording. */
function psr(perspective: 'patient' | 'therapist', partner: string, textItem: string): Instrument {
  return {
    key: `psr-${perspective}`,
    name: `Post-session rupture report (${perspective})`,
    perspectives: [perspective],
    items: [
      {
        id: 'tension',
        type: 'yesno',
        text: `Was there any tension or problem between you and ${partner} in this session?`,
      },
      {
        id: 'tense',
        type: 'scale',
        text: 'How tense or problematic was it?',
        min: 1,
        max: 5,
        anchors: five('slightly', 'very'),
        reverse: false,
      },
      {
        id: 'resolved',
        type: 'scale',
        text: 'How well was it resolved by the end of the session?',
        min: 1,
        max: 5,
        anchors: five('not at all', 'completely'),
        reverse: false,
      },
      { id: 'comment', type: 'text', text: textItem },
    ],
    scoring: 'mean',
    note: 'Structure of a post-session rupture self-report; our own wording.',
  };
}

export const DEFAULT_INSTRUMENTS: Instrument[] = [
  psr('patient', 'your therapist', 'Anything you would like to add'),
  psr('therapist', 'your client', 'What happened'),
  {
    key: '3rs-session',
    name: '3RS session ratings',
    perspectives: ['observer', 'supervisor', 'trainee'],
    items: [
      {
        id: 'contribution',
        type: 'scale',
        text: 'Therapist contribution to ruptures',
        min: 1,
        max: 5,
        anchors: five('none / low', 'high'),
        reverse: false,
      },
      {
        id: 'resolution',
        type: 'scale',
        text: 'Extent of resolution',
        min: 1,
        max: 5,
        anchors: five('none / low', 'high'),
        reverse: false,
      },
    ],
    scoring: 'mean',
    note: '',
  },
  {
    key: 'wai-sr',
    name: 'Working Alliance Inventory – short revised (structure only)',
    perspectives: ['patient', 'therapist'],
    // Subscales after Hatcher & Gillaspy (2006): Task 1, 2, 10, 12; Bond 3, 5, 7, 9; Goal 4, 6, 8, 11.
    items: Array.from({ length: 12 }, (_, i) => {
      const n = i + 1;
      const subscale = [1, 2, 10, 12].includes(n) ? 'Task' : [3, 5, 7, 9].includes(n) ? 'Bond' : 'Goal';
      return {
        id: `wai${n}`,
        type: 'scale' as const,
        text: placeholder(n),
        min: 1,
        max: 5,
        anchors: five('seldom', 'always'),
        reverse: false,
        subscale,
      };
    }),
    scoring: 'mean',
    note: 'Item texts are placeholders: the WAI-SR wording is licensed by its authors. Replace them after obtaining permission.',
  },
];
