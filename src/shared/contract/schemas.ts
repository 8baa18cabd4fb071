/** Input schemas shared by the contract's slices (zod), with messages a clinician can act on. */
import { z } from 'zod';
import { RUPTURE_TYPES } from '../annotations';
import { isCalendarDate, MAX_OFFSET_MS } from '../time';

export const id = z.number().int().positive();
export const caseCode = z
  .string()
  .trim()
  .min(1, 'Enter a client code, for example C-014.')
  .max(40, 'A client code has at most 40 characters.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'Use a pseudonymous code of letters, digits, dot, dash or underscore (for example C-014), never a name.',
  );
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are written YYYY-MM-DD.')
  .refine(isCalendarDate, 'That date does not exist.');
export const text = (max: number) => z.string().max(max, `At most ${max} characters.`);
export const offsetMs = z
  .number()
  .int('Offsets are whole milliseconds.')
  .min(-MAX_OFFSET_MS, 'An offset is at most 24 hours either way.')
  .max(MAX_OFFSET_MS, 'An offset is at most 24 hours either way.');
export const path = z.string().min(1, 'Choose a file.').max(4096);
export const ms = z.number().int('Times are whole milliseconds.').min(0, 'Times cannot be negative.').max(86_400_000);
export const rating = z.number().int().min(1, 'Ratings go from 1 to 5.').max(5, 'Ratings go from 1 to 5.');
export const codeList = z.array(z.string().trim().min(1).max(16)).max(40);
export const segmentFields = {
  startMs: ms,
  endMs: ms,
  ruptureType: z.enum(RUPTURE_TYPES).nullable().optional(),
  codes: codeList.optional(),
  rating: rating.nullable().optional(),
  stage: z.string().max(16).nullable().optional(),
  tags: codeList.optional(),
  note: z.string().max(4000).optional(),
  linkedRuptureIds: z.array(id).max(50).optional(),
};
export const gridSize = z.number().int().min(10_000, 'Grid segments are at least 10 seconds.').max(3_600_000);
