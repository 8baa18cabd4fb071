/**
 * Sealed files: what leaves the clinic (rating packages and their returns) is encrypted with a
 * passphrase. Node's crypto only: scrypt for the key, AES-256-GCM for the content.
 *
 * Layout: an 8-byte magic, the header's length (u32, big-endian), the header (JSON, readable:
 * what the file is, which package and study, the KDF's parameters and salt, a key check), then
 * the content in chunks of `chunkBytes`, each encrypted on its own with its 16-byte tag. A
 * chunk's nonce is the header's 8-byte prefix and the chunk's index; its additional data is the
 * header's hash, the index and whether it is the last, so no chunk can be changed, moved, dropped
 * or the file cut after a chunk without the tag saying so. Chunks let a package carry recordings
 * of gigabytes without holding them in memory.
 *
 * Errors say which case it is: not a package, a wrong passphrase (the key check, before any
 * decryption), a truncated file (shorter than its header says), or a changed one (a tag fails).
 * Nothing is given to the reader before its chunk's tag has been checked.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import { EncryptedMedia, isEncryptedMedia, keyForFile } from '../protection/media-crypt';
import { checkOutput } from '../files/output';
import { kdfInBounds } from '../protection/kdf';

const MAGIC = Buffer.from('ARPKG\u0000\u0001\n', 'latin1');
const CHUNK = 1 << 20;
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

export interface SealedHeader {
  format: 'alliance-review-sealed';
  version: 1;
  /** What the content is (for example `rating-package`, `return-package`). */
  kind: string;
  /** Readable facts about the content, authenticated with it (ids; never names or notes). */
  meta: Record<string, string | number | null>;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  noncePrefix: string;
  chunkBytes: number;
  plainBytes: number;
  chunks: number;
  keyCheck: string;
}

/** Where a passphrase comes from is the caller's business; here it is normalised (NFC). */
function deriveKey(passphrase: string, salt: Buffer, kdf = SCRYPT): Promise<Buffer> {
  if (!passphrase) throw new AppError('INVALID_INPUT', 'A passphrase is needed to seal or open a package.');
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { ...kdf, maxmem: 256 * kdf.N * kdf.r }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

const keyCheck = (key: Buffer) =>
  createHmac('sha256', key).update('alliance-review sealed-file key check').digest().subarray(0, 16);

const nonce = (prefix: Buffer, index: number) => {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(index, 8);
  return n;
};
const aad = (headerHash: Buffer, index: number, last: boolean) => {
  const b = Buffer.alloc(headerHash.length + 5);
  headerHash.copy(b);
  b.writeUInt32BE(index, headerHash.length);
  b[headerHash.length + 4] = last ? 1 : 0;
  return b;
};

/** The content of a sealed file: parts written one after the other (buffers, or files by path). */
export type SealedPart = { bytes: Buffer } | { file: string; size: number };

/**
 * Writes `parts` sealed with `passphrase` to `out` (through `out.partial`, renamed when whole:
 * a cancelled or failed write leaves nothing). `onProgress` gets the bytes written so far.
 */
export async function writeSealed(
  out: string,
  passphrase: string,
  kind: string,
  meta: SealedHeader['meta'],
  parts: SealedPart[],
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<{ bytes: number }> {
  checkOutput(out, { what: 'a package', dataDir: null }); // the library's folder: checked by the caller, who knows it
  const salt = randomBytes(16);
  const key = await deriveKey(passphrase, salt);
  const plainBytes = parts.reduce((n, p) => n + ('bytes' in p ? p.bytes.length : p.size), 0);
  const chunks = Math.max(1, Math.ceil(plainBytes / CHUNK));
  const prefix = randomBytes(8);
  const header: SealedHeader = {
    format: 'alliance-review-sealed',
    version: 1,
    kind,
    meta,
    kdf: { name: 'scrypt', ...SCRYPT, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    noncePrefix: prefix.toString('base64'),
    chunkBytes: CHUNK,
    plainBytes,
    chunks,
    keyCheck: keyCheck(key).toString('base64'),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerHash = createHash('sha256').update(headerBytes).digest();
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  const partial = `${out}.partial`;
  const fd = fs.openSync(partial, 'w', 0o600);
  let written = 0;
  try {
    fs.writeSync(fd, Buffer.concat([MAGIC, len, headerBytes]));
    let index = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = (last: boolean) => {
      const plain = Buffer.concat(pending, pendingBytes);
      const cipher = createCipheriv('aes-256-gcm', key, nonce(prefix, index));
      cipher.setAAD(aad(headerHash, index, last));
      fs.writeSync(fd, Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]));
      written += plain.length;
      opts.onProgress?.(written, plainBytes);
      index++;
      pending = [];
      pendingBytes = 0;
    };
    const feed = (buf: Buffer) => {
      let at = 0;
      while (at < buf.length) {
        const take = Math.min(CHUNK - pendingBytes, buf.length - at);
        pending.push(buf.subarray(at, at + take));
        pendingBytes += take;
        at += take;
        if (pendingBytes === CHUNK && index < chunks - 1) flush(false);
      }
    };
    for (const part of parts) {
      if ('bytes' in part) feed(part.bytes);
      else {
        const src = fs.openSync(part.file, 'r');
        // A protected library's copy travels as the recording it holds (the package has its own key).
        const key = keyForFile(part.file);
        const enc = key && isEncryptedMedia(src) ? new EncryptedMedia(src, key, part.file) : null;
        try {
          const buf = Buffer.alloc(CHUNK);
          let left = part.size;
          let pos = 0;
          while (left > 0) {
            if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The package was not written: cancelled.');
            const want = Math.min(CHUNK, left);
            const n = enc ? enc.read(buf.subarray(0, want), pos) : fs.readSync(src, buf, 0, want, null);
            pos += n;
            if (n === 0)
              throw new AppError('FILE_UNREADABLE', `${part.file} became shorter while it was being packed.`);
            feed(buf.subarray(0, n));
            left -= n;
            // A chunk at a time: progress events, a cancel and the app's other work get their turn.
            await new Promise((r) => setImmediate(r));
          }
        } finally {
          fs.closeSync(src);
        }
      }
      // Let the event loop breathe between parts (progress events, a cancel).
      await new Promise((r) => setImmediate(r));
    }
    flush(true);
    if (index !== chunks) throw new Error(`sealed file: wrote ${index} chunks, expected ${chunks}`);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(partial, out);
  return { bytes: fs.statSync(out).size };
}

/** The readable header of a sealed file, checked for shape and length (no passphrase needed). */
export function readSealedHeader(file: string): { header: SealedHeader; offset: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'FILE_MISSING' : 'FILE_UNREADABLE', `${file} cannot be read (${code}).`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(12);
    const got = fs.readSync(fd, head, 0, 12, 0);
    if (got < 12 || !head.subarray(0, 8).equals(MAGIC))
      throw new AppError('PACKAGE_INVALID', `${file} is not an Alliance Review package.`);
    const len = head.readUInt32BE(8);
    if (len > 1 << 20 || 12 + len > size)
      throw new AppError('PACKAGE_INVALID', `${file} is truncated: it ends inside its header.`);
    const headerBytes = Buffer.alloc(len);
    fs.readSync(fd, headerBytes, 0, len, 12);
    let header: SealedHeader;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as SealedHeader;
    } catch {
      throw new AppError('PACKAGE_INVALID', `${file} has a damaged header.`);
    }
    if (header.format !== 'alliance-review-sealed' || header.version !== 1 || header.cipher !== 'aes-256-gcm')
      throw new AppError('PACKAGE_INVALID', `${file} is a package of a format this version does not read.`);
    const sane =
      Number.isSafeInteger(header.plainBytes) &&
      header.plainBytes >= 0 &&
      Number.isInteger(header.chunkBytes) &&
      header.chunkBytes > 0 &&
      header.chunkBytes <= 1 << 24 &&
      header.chunks === Math.max(1, Math.ceil(header.plainBytes / header.chunkBytes));
    if (!sane) throw new AppError('PACKAGE_INVALID', `${file} has a damaged header.`);
    const expected = 12 + len + header.plainBytes + 16 * header.chunks;
    if (size < expected)
      throw new AppError(
        'PACKAGE_INVALID',
        `${file} is truncated (${size} of ${expected} bytes): copy it again from where it came from.`,
      );
    if (size > expected) throw new AppError('PACKAGE_INVALID', `${file} has bytes after its end: it was changed.`);
    return { header, offset: 12 + len, size };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens a sealed file: checks the passphrase, then decrypts chunk by chunk, giving each verified
 * chunk to `onChunk` (in order). A changed chunk stops the reading with PACKAGE_INVALID; what
 * `onChunk` did with earlier chunks is the caller's to undo (write to a temporary place).
 */
export async function readSealed(
  file: string,
  passphrase: string,
  onChunk: (plain: Buffer) => void | Promise<void>,
): Promise<SealedHeader> {
  const { header, offset } = readSealedHeader(file);
  const headerBytes = Buffer.alloc(offset - 12);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, headerBytes, 0, headerBytes.length, 12);
    const { N, r, p, salt } = header.kdf;
    if (header.kdf.name !== 'scrypt' || !kdfInBounds(header.kdf))
      throw new AppError('PACKAGE_INVALID', `${file} asks for key derivation this version does not do.`);
    const key = await deriveKey(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
    const check = Buffer.from(header.keyCheck, 'base64');
    if (check.length !== 16 || !timingSafeEqual(check, keyCheck(key)))
      throw new AppError('WRONG_PASSPHRASE', 'The passphrase is not the one this package was sealed with.');
    const headerHash = createHash('sha256').update(headerBytes).digest();
    const prefix = Buffer.from(header.noncePrefix, 'base64');
    let at = offset;
    let left = header.plainBytes;
    for (let index = 0; index < header.chunks; index++) {
      const last = index === header.chunks - 1;
      const plainLen = last ? left : Math.min(header.chunkBytes, left);
      const buf = Buffer.alloc(plainLen + 16);
      fs.readSync(fd, buf, 0, buf.length, at);
      at += buf.length;
      left -= plainLen;
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, index));
      decipher.setAAD(aad(headerHash, index, last));
      decipher.setAuthTag(buf.subarray(plainLen));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buf.subarray(0, plainLen)), decipher.final()]);
      } catch {
        throw new AppError(
          'PACKAGE_INVALID',
          `${file} was changed or damaged after it was sealed (part ${index + 1} of ${header.chunks}).`,
        );
      }
      await onChunk(plain);
    }
    return header;
  } finally {
    fs.closeSync(fd);
  }
}
