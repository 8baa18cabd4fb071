import { describe, expect, it } from 'vitest';
import { labelTextWidth } from './text-width';

describe('a label text width without a canvas (the unit tests run without a page)', () => {
  it('assumes the widest characters, so that a label is clipped rather than left to spill over the next box', () => {
    expect(labelTextWidth('W2 ●4 ✓')).toBe(7 * 11);
    expect(labelTextWidth('')).toBe(0);
  });
});
