/**
 * zod's own messages ("Too big: expected number to be <=100000") never reach a clinician: the
 * contract's schemas carry their own wording where it matters, and every other issue is said
 * here in words, naming the field as the form does.
 */
import type { z } from 'zod';
import { formatTime } from '../time';

type Issue = z.core.$ZodIssue;

const FIELD_NAMES: Record<string, string> = {
  startMs: 'The start',
  endMs: 'The end',
  atMs: 'The time',
  positionMs: 'The position',
  offsetMs: 'The offset',
  segmentMs: 'The grid segment length',
  unitMs: 'The time unit',
  toleranceMs: 'The tolerance',
  windowMs: 'The window',
  sessionId: 'The session',
  caseId: 'The case',
  raterId: 'The rater',
  threadId: 'The comment',
  id: 'The id',
  ids: 'The list',
  segments: 'The list of segments',
  text: 'The text',
  note: 'The note',
  name: 'The name',
  code: 'The code',
  codes: 'The codes',
  rating: 'The rating',
  number: 'The session number',
  date: 'The date',
  label: 'The label',
  labels: 'The labels',
  paths: 'The files',
};

function field(path: readonly PropertyKey[]): { name: string; isTime: boolean } {
  const key = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  if (!key) return { name: 'The request', isTime: false };
  const known = FIELD_NAMES[key];
  const words = key
    .replace(/Ms$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return { name: known ?? `The ${words}`, isTime: /Ms$/.test(key) };
}

/** zod's default wording starts like this; a schema's own message is kept as it is. */
const DEFAULT =
  /^(Too big|Too small|Invalid input|Invalid option|Invalid string|Invalid number|Unrecognized key|Expected)/;

export function issueMessage(issue: Issue): string {
  if (!DEFAULT.test(issue.message)) return issue.message;
  const { name, isTime } = field(issue.path);
  const amount = (v: number | bigint) =>
    isTime && typeof v === 'number' ? formatTime(v) : Number(v).toLocaleString('en-US');
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `${name} is too long: at most ${amount(issue.maximum)} characters.`;
      if (issue.origin === 'array') return `${name} has too many entries: at most ${amount(issue.maximum)}.`;
      return `${name} must be at most ${amount(issue.maximum)}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? `${name} is empty.`
          : `${name} needs at least ${amount(issue.minimum)} characters.`;
      if (issue.origin === 'array')
        return `${name} needs at least ${amount(issue.minimum)} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}.`;
      return `${name} must be at least ${amount(issue.minimum)}.`;
    case 'invalid_type':
      // zod does not keep the input in the issue; its message says what it received.
      return /received undefined$/.test(issue.message)
        ? `${name} is missing.`
        : `${name} should be ${article(issue.expected)}.`;
    case 'invalid_value':
      return `${name} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}.`;
    default:
      return `${name} is not valid.`;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a set of fields';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
