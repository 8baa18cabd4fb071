/**
 * Figures as a methods section prints them (APA style): two decimals, no leading zero for
 * statistics bounded by ±1 (".62", "−.05"), "n/a" for an undefined one; with its interval,
 * ".62 [.48, .75]", or with its symbol, "κ = .62 [.48, .75]".
 */
export function apa(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return x
    .toFixed(digits)
    .replace(/^(-?)0\./, '$1.')
    .replace(/^-/, '−');
}

export interface Bounds {
  lower: number | null;
  upper: number | null;
}

export function apaInterval(value: number | null | undefined, ci?: Bounds | null): string {
  if (!ci || ci.lower === null || ci.upper === null || value === null || value === undefined) return apa(value);
  return `${apa(value)} [${apa(ci.lower)}, ${apa(ci.upper)}]`;
}

export function withInterval(symbol: string, value: number | null | undefined, ci?: Bounds | null): string {
  return `${symbol} = ${apaInterval(value, ci)}`;
}
