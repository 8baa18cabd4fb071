/**
 * The bounds on scrypt's settings, for everything sealed with a passphrase (the library's key
 * file, rating packages). The settings stand in the file, so a changed file could ask for
 * gigabytes of memory (scrypt then fails with "malloc failure") or for none at all (a passphrase
 * guessed at once). Only settings this app writes, and a little room above, are accepted.
 */

/** At most 256 MiB of scrypt memory (128 · N · r bytes). */
const MAX_MEMORY = 256 * 1024 * 1024;

export interface ScryptSettings {
  N: number;
  r: number;
  p: number;
}

/** N a power of two from 2^14, r 1–16, p 1–4, memory at most 256 MiB; a salt of a sensible size when given. */
export function kdfInBounds(kdf: unknown): kdf is ScryptSettings {
  const k = kdf as Partial<ScryptSettings & { salt: unknown }> | null;
  if (!k || typeof k !== 'object') return false;
  const { N, r, p, salt } = k;
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p)) return false;
  if (N! < 2 ** 14 || (N! & (N! - 1)) !== 0 || r! < 1 || r! > 16 || p! < 1 || p! > 4) return false;
  if (128 * N! * r! > MAX_MEMORY) return false;
  return salt === undefined || (typeof salt === 'string' && salt.length >= 16 && salt.length <= 200);
}
