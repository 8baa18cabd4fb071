import type { Code } from '../../../shared/codebook';

/**
 * The codes a typed text suggests, best first: keys that start with it, then labels that start
 * with it, then labels, groups or descriptions that contain it. Up to 8.
 */
export function matchCodes(usable: Code[], typed: string): Code[] {
  const q = typed.trim().toUpperCase();
  if (!q) return [];
  const rank = (c: Code) => {
    const label = c.label.toUpperCase();
    if (c.key.toUpperCase().startsWith(q)) return 0;
    if (label.startsWith(q)) return 1;
    if (label.includes(q)) return 2;
    if ((c.group ?? '').toUpperCase().includes(q) || c.category.toUpperCase().startsWith(q)) return 3;
    if (c.description.toUpperCase().includes(q)) return 4;
    return 9;
  };
  return usable
    .map((c, i) => ({ c, r: rank(c), i }))
    .filter((x) => x.r < 9)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .slice(0, 8)
    .map((x) => x.c);
}
