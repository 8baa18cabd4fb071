/** A count with its noun: `1 session`, `2 sessions`, `1 analysis`/`2 analyses` (give `many`). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A noun with its indefinite article, for the app's own words: `an observer`, `a patient`. */
export function aOrAn(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
