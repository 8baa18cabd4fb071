import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK } from '../../../shared/codebook';
import { matchCodes } from './code-matches';

const ruptureCodes = DEFAULT_CODEBOOK.codes.filter(
  (c) => c.category === 'withdrawal' || c.category === 'confrontation',
);
const repairCodes = DEFAULT_CODEBOOK.codes.filter((c) => c.category === 'repair');
const keys = (typed: string, codes = ruptureCodes) => matchCodes(codes, typed).map((c) => c.key);

describe('the code field’s suggestions', () => {
  it('puts keys that start with what is typed first, then labels', () => {
    expect(keys('w2')[0]).toBe('W2');
    expect(keys('W')).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', ...keys('W').slice(7)]);
    expect(keys('minimal')).toEqual(['W2']);
  });

  it('finds strategies by their group', () => {
    const immediate = keys('immediate', repairCodes);
    expect(immediate).toEqual(expect.arrayContaining(['R1', 'R2', 'R3']));
  });

  it('suggests nothing for nothing, and at most 8', () => {
    expect(keys('')).toEqual([]);
    expect(keys('   ')).toEqual([]);
    expect(keys('zzzz')).toEqual([]);
    expect(keys('e').length).toBeLessThanOrEqual(8);
  });
});
