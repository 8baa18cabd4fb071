/** A count with its noun: `1 session`, `2 sessions`, `1 analysis`/`2 analyses` (give `many`). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
