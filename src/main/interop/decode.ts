/**
 * Bytes to text, as the tools researchers use write them: UTF-8 with or without a BOM, UTF-16
 * LE/BE with a BOM (an ELAN save option), UTF-16 without a BOM when its zero bytes give it away,
 * and Latin-1 / Windows-1252 (older Windows exports). Never a silent replacement character: bytes
 * that are not UTF-8 are decoded as Windows-1252 with a warning, or refused when the user named
 * an encoding they do not fit. Plain Node.
 */
import { AppError } from '../../shared/errors';

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface Decoded {
  text: string;
  encoding: Encoding;
  /** Said to the user: how the file was read when it was not plain UTF-8. */
  warnings: string[];
}

function strict(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Decodes `bytes`; `encoding` (from `--encoding`) overrides detection, except that a BOM wins. */
export function decodeText(bytes: Uint8Array, encoding?: string): Decoded {
  const warnings: string[] = [];
  const b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8(b.subarray(3));
  if (b[0] === 0xff && b[1] === 0xfe) return utf16(b.subarray(2), 'utf-16le', warnings);
  if (b[0] === 0xfe && b[1] === 0xff) return utf16(b.subarray(2), 'utf-16be', warnings);
  const named = encoding?.trim().toLowerCase().replace(/_/g, '-');
  if (named) {
    const as: Encoding | undefined =
      named === 'utf8' || named === 'utf-8'
        ? 'utf-8'
        : named === 'latin-1' || named === 'latin1' || named === 'iso-8859-1'
          ? 'latin1'
          : named === 'cp1252' || named === 'windows-1252'
            ? 'windows-1252'
            : named === 'utf-16le' || named === 'utf-16'
              ? 'utf-16le'
              : named === 'utf-16be'
                ? 'utf-16be'
                : undefined;
    if (!as)
      throw new AppError('INVALID_INPUT', `--encoding must be utf-8, utf-16le, utf-16be or latin1, not "${encoding}".`);
    if (as === 'utf-16le' || as === 'utf-16be') return utf16(b, as, warnings);
    if (as === 'utf-8') {
      const text = strict('utf-8', b);
      if (text === null)
        throw new AppError(
          'INVALID_INPUT',
          `The file is not valid UTF-8 (byte ${firstBadUtf8(b)}). Try --encoding latin1 if it came from an older Windows program.`,
        );
      return { text, encoding: 'utf-8', warnings };
    }
    return { text: new TextDecoder('windows-1252').decode(b), encoding: as, warnings };
  }
  // UTF-16 without a BOM: every other byte of ASCII text is zero.
  if (b.length >= 4) {
    const n = Math.min(b.length, 400) & ~1;
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) evenZero++;
      if (b[i + 1] === 0) oddZero++;
    }
    if (oddZero > n / 4 && evenZero === 0) return utf16(b, 'utf-16le', warnings, 'without a byte-order mark');
    if (evenZero > n / 4 && oddZero === 0) return utf16(b, 'utf-16be', warnings, 'without a byte-order mark');
  }
  const text = strict('utf-8', b);
  if (text !== null) return { text, encoding: 'utf-8', warnings };
  warnings.push(
    `The file is not UTF-8 (byte ${firstBadUtf8(b)} is not valid UTF-8); it was read as Latin-1 (Windows-1252). ` +
      'Check names with accents; if they look wrong, give the right --encoding.',
  );
  return { text: new TextDecoder('windows-1252').decode(b), encoding: 'windows-1252', warnings };
}

function utf8(b: Uint8Array): Decoded {
  const text = strict('utf-8', b);
  if (text === null)
    throw new AppError(
      'INVALID_INPUT',
      `The file starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte ${firstBadUtf8(b) + 3}).`,
    );
  return { text, encoding: 'utf-8', warnings: [] };
}

function utf16(b: Uint8Array, as: 'utf-16le' | 'utf-16be', warnings: string[], how = ''): Decoded {
  if (b.length % 2 === 1)
    throw new AppError(
      'INVALID_INPUT',
      `The file is UTF-16 (${as === 'utf-16le' ? 'little' : 'big'}-endian) but has an odd number of bytes: it is cut short.`,
    );
  const text = strict(as, b);
  if (text === null)
    throw new AppError(
      'INVALID_INPUT',
      `The file is UTF-16 (${as === 'utf-16le' ? 'little' : 'big'}-endian) but holds bytes that are not valid UTF-16.`,
    );
  if (how) warnings.push(`The file was read as UTF-16 (${as === 'utf-16le' ? 'little' : 'big'}-endian) ${how}.`);
  return { text, encoding: as, warnings };
}

/** 1-based offset of the first byte that breaks UTF-8. */
function firstBadUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0) return i + 1;
    for (let k = 1; k < len; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i + 1;
    i += len;
  }
  return b.length;
}
