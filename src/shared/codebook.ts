/**
 * Codebooks: the codes a rater can use. Data, validated with zod on import. The default one is
 * "3RS-aligned" in our own paraphrased words (domain.md §2–3): structure and labels, never the
 * manual's text.
 */
import { z } from 'zod';

export const CODE_CATEGORIES = ['withdrawal', 'confrontation', 'repair', 'intervention'] as const;
export type CodeCategory = (typeof CODE_CATEGORIES)[number];

/**
 * Keys a code may take for quick coding (one press opens a segment with that code, the next
 * closes it). The player's own keys (R, P, C, J, K, L, T, B, N, V, S, O, D, X, A, 0 and the rest)
 * are never among them, so a quick key can never mean two things; the renderer's test checks it.
 */
export const QUICK_KEYS = [
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  'e',
  'f',
  'g',
  'h',
  'i',
  'm',
  'q',
  'u',
  'w',
  'y',
  'z',
];
export const QUICK_KEYS_TEXT = '1–9, E, F, G, H, I, M, Q, U, W, Y or Z';

/** The kind of segment a code's quick key opens, or null for codes that are not segments (tags). */
export function quickKind(c: Pick<Code, 'category'>): 'rupture' | 'repair' | null {
  return c.category === 'repair' ? 'repair' : c.category === 'intervention' ? null : 'rupture';
}

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a color is written #rrggbb');

export const codeSchema = z.object({
  /** Short key typed by raters, e.g. `W2`. */
  key: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,15}$/, 'a key is a letter then up to 15 letters, digits or dashes'),
  label: z.string().trim().min(1, 'a label is required').max(80),
  /** One line a rater reads in a tooltip. */
  description: z.string().max(300).default(''),
  category: z.enum(CODE_CATEGORIES),
  /** Resolution strategies: immediate (direct) or exploratory. */
  group: z.enum(['immediate', 'exploratory', 'imported']).optional(),
  color,
  /** Retired codes stay readable on old annotations but are not offered for new ones. */
  retired: z.boolean().default(false),
  /** Quick-code key (one of QUICK_KEYS): codes a segment without typing. */
  quickKey: z
    .string()
    .transform((k) => k.toLowerCase())
    .optional(),
});

export const stageSchema = z.object({
  key: z.string().regex(/^[A-Za-z]+-\d{1,2}$/, 'a stage key looks like W-3'),
  model: z.enum(['withdrawal', 'confrontation', 'general']),
  label: z.string().trim().min(1).max(120),
});

export const codebookSchema = z
  .object({
    name: z.string().trim().min(1, 'a codebook needs a name').max(80),
    codes: z.array(codeSchema).min(1, 'a codebook needs at least one code'),
    stages: z.array(stageSchema).default([]),
    /** Anchors of the 1–5 significance / intensity scale. */
    scale: z.array(z.object({ value: z.number().int().min(1).max(5), label: z.string().min(1).max(80) })).default([]),
  })
  .superRefine((cb, ctx) => {
    const seen = new Set<string>();
    cb.codes.forEach((c, i) => {
      const k = c.key.toUpperCase();
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: ['codes', i, 'key'], message: `the key ${c.key} is used twice` });
      seen.add(k);
    });
    const keys = new Map<string, string>();
    cb.codes.forEach((c, i) => {
      if (c.quickKey === undefined) return;
      const path = ['codes', i, 'quickKey'];
      const shown = c.quickKey.toUpperCase();
      if (!QUICK_KEYS.includes(c.quickKey))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${shown} cannot be a quick key (it is one of the player's keys, or not a single key); use ${QUICK_KEYS_TEXT}`,
        });
      else if (c.category === 'intervention')
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${c.key} is an intervention tag, not a segment: it cannot have a quick key`,
        });
      else if (keys.has(c.quickKey))
        ctx.addIssue({
          code: 'custom',
          path,
          message: `the quick key ${shown} is given to both ${keys.get(c.quickKey)} and ${c.key}`,
        });
      keys.set(c.quickKey, c.key);
    });
  });

export type Code = z.output<typeof codeSchema>;
export type Stage = z.output<typeof stageSchema>;
export type CodebookDefinition = z.output<typeof codebookSchema>;

export interface Codebook {
  id: number;
  versionId: number;
  version: number;
  definition: CodebookDefinition;
}

/** Parses codebook JSON; on failure names the first problem as `path: reason`. */
export function parseCodebook(text: string): { ok: true; value: CodebookDefinition } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The file is not valid JSON (${(error as Error).message}).` };
  }
  const parsed = codebookSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')
    : '(top level)';
  return { ok: false, message: `${where}: ${issue.message}` };
}

/** Okabe–Ito based: withdrawal blues, confrontation vermillion/orange, repairs bluish green. */
export const CATEGORY_COLORS: Record<CodeCategory, string> = {
  withdrawal: '#0072B2',
  confrontation: '#D55E00',
  repair: '#009E73',
  intervention: '#CC79A7',
};

const w = (n: number, label: string, description: string): Code => ({
  key: `W${n}`,
  label,
  description,
  category: 'withdrawal',
  color: n % 2 ? '#0072B2' : '#3A8FC7',
  retired: false,
});
const c = (n: number, label: string, description: string): Code => ({
  key: `C${n}`,
  label,
  description,
  category: 'confrontation',
  color: n % 2 ? '#D55E00' : '#E07B2E',
  retired: false,
});
const r = (n: number, label: string, group?: 'immediate' | 'exploratory'): Code => ({
  key: `R${n}`,
  label,
  description: group
    ? `${group === 'immediate' ? 'Immediate (direct)' : 'Exploratory'} strategy.`
    : 'Resolution strategy.',
  category: 'repair',
  ...(group ? { group } : {}),
  color: group === 'exploratory' ? '#2BA383' : '#009E73',
  retired: false,
});
const t = (key: string, label: string, description: string): Code => ({
  key,
  label,
  description,
  category: 'intervention',
  color: '#CC79A7',
  retired: false,
});

export const DEFAULT_CODEBOOK: CodebookDefinition = {
  name: '3RS-aligned',
  codes: [
    w(1, 'Denial', 'Brushes off an evident feeling or the importance of something relevant.'),
    w(2, 'Minimal response', 'Terse or silent replies that stall the therapist’s invitation.'),
    w(3, 'Abstract communication', 'Vague, intellectual talk that keeps experience at a distance.'),
    w(4, 'Avoidant storytelling / topic shift', 'Tangents or changes of subject that steer away from the work.'),
    w(5, 'Deferential / appeasing', 'Over-agreeing or placating that hides disagreement.'),
    w(6, 'Content/affect split', 'The emotion shown does not fit what is said.'),
    w(7, 'Self-criticism / hopelessness', 'Self-blame or giving up that shuts engagement down.'),
    c(1, 'Complaints about the therapist', 'Criticism of the therapist as a person or professional.'),
    c(2, 'Rejects an intervention', 'Refuses or dismisses what the therapist offers.'),
    c(3, 'Complaints about the activities of therapy', 'Objects to the tasks or methods.'),
    c(4, 'Complaints about the parameters', 'Objects to schedule, fees, frequency or rules.'),
    c(5, 'Complaints about progress', 'Says therapy is not helping.'),
    c(6, 'Defends self against the therapist', 'Rebuts perceived criticism.'),
    c(7, 'Efforts to control or pressure', 'Tries to steer or pressure the therapist.'),
    r(1, 'Clarifies a misunderstanding', 'immediate'),
    r(2, 'Changes tasks or goals', 'immediate'),
    r(3, 'Illustrates a task or gives a rationale', 'immediate'),
    r(4, 'Invites the patient to talk about the therapist or the therapy', 'exploratory'),
    r(5, 'Acknowledges own contribution to the rupture', 'exploratory'),
    r(6, 'Discloses own here-and-now experience (metacommunication)', 'exploratory'),
    r(7, 'Links the rupture to the pattern between patient and therapist', 'exploratory'),
    r(8, 'Links the rupture to patterns in other relationships', 'exploratory'),
    r(9, 'Validates the patient’s defensive posture', 'exploratory'),
    r(10, 'Redirects or refocuses the patient'),
    t('META', 'Metacommunication', 'Talks about what is happening between patient and therapist right now.'),
    t('SD-AUTO', 'Self-disclosure: autobiographical', 'Shares facts or experiences from the therapist’s own life.'),
    t('SD-IMM', 'Self-disclosure: immediacy', 'Shares the therapist’s in-the-moment reaction to the patient.'),
    t('SD-REAS', 'Self-disclosure: reassuring', 'A disclosure meant to reassure or normalise.'),
    t('SD-CHAL', 'Self-disclosure: challenging', 'A disclosure meant to challenge or confront.'),
    t(
      'TI-HN',
      'Transference interpretation: here-and-now',
      'Interprets the patient’s reaction to the therapist in the session.',
    ),
    t('TI-EARLY', 'Transference interpretation: early relationships', 'Links the reaction to early relationships.'),
    t('CR', 'Cognitive restructuring', 'Examines and reframes a thought.'),
    t('EXP', 'Exposure', 'Guides the patient towards an avoided feeling, memory or situation.'),
    t('MANUAL', 'Rigid manual adherence', 'Sticks to the protocol despite signs it is not working.'),
  ],
  stages: [
    { key: 'G-1', model: 'general', label: 'Recognises the rupture marker' },
    { key: 'G-2', model: 'general', label: 'Explores the rupture experience' },
    { key: 'G-3', model: 'general', label: 'Explores the avoidance' },
    { key: 'G-4', model: 'general', label: 'Reaches the underlying wish or need' },
    { key: 'W-1', model: 'withdrawal', label: 'Withdrawal marker' },
    { key: 'W-2', model: 'withdrawal', label: 'Therapist disembeds and attends to the marker' },
    { key: 'W-3', model: 'withdrawal', label: 'Qualified articulation of negative feeling' },
    { key: 'W-4', model: 'withdrawal', label: 'Avoidance explored (expectations, self-criticism)' },
    { key: 'W-5', model: 'withdrawal', label: 'Self-assertion: the patient owns a wish or need' },
    { key: 'C-1', model: 'confrontation', label: 'Confrontation marker' },
    { key: 'C-2', model: 'confrontation', label: 'Therapist disembeds, stays non-defensive' },
    { key: 'C-3', model: 'confrontation', label: 'Anger expressed and explored' },
    { key: 'C-4', model: 'confrontation', label: 'Disappointment or hurt' },
    { key: 'C-5', model: 'confrontation', label: 'Avoidance of vulnerability explored' },
    { key: 'C-6', model: 'confrontation', label: 'Contact with vulnerability and the wish to be cared for' },
  ],
  scale: [
    { value: 1, label: 'None / low' },
    { value: 2, label: 'Mild' },
    { value: 3, label: 'Moderate' },
    { value: 4, label: 'Marked' },
    { value: 5, label: 'High' },
  ],
};
