/**
 * Recordings copied into a protected library's folder (and the scrub aids made from them) are
 * encrypted on disk, and read back as plain bytes from any offset: the player seeks with HTTP
 * Range requests, ffmpeg seeks within a file, so the format is built for random access.
 *
 * Layout: an 8-byte magic, the header's length (u32, big-endian), the header (JSON: chunk size,
 * the plain size, a random nonce prefix), then the content in chunks of 64 KiB, each sealed on
 * its own with AES-256-GCM (nonce: the prefix and the chunk's index; additional data: the index
 * and whether it is the last), so that a chunk cannot be changed, moved or dropped, nor the file
 * cut short, without its tag saying so. The key is derived (HKDF) from the library's data key,
 * so it needs no passphrase of its own and changes with the library's protection.
 *
 * Every file says what it is (the magic), so a folder where protecting or unprotecting was
 * interrupted — some files encrypted, some not — reads correctly either way, and the next
 * protect or unprotect finishes the job.
 *
 * ffmpeg cannot decrypt this itself: it reads an encrypted file through `ffmpegInput`, an HTTP
 * address served by this process on 127.0.0.1 as ffmpeg's proxy, with Range support so that it
 * seeks as it does in a file. The address in ffmpeg's arguments names no file and no port; the
 * proxy's password is in ffmpeg's environment only (`mediaToolEnv`), so another local user who
 * reads the process list learns nothing that opens. It answers only while the library is
 * unlocked: locking it ends every transfer and forgets every token.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../shared/errors';
import { parseRange } from '../media/range';

const MAGIC = Buffer.from('ARMEDIA\u0001', 'latin1');
const CHUNK = 64 * 1024;
const TAG = 16;

interface Header {
  format: 'alliance-review-media';
  version: 1;
  chunkBytes: number;
  plainBytes: number;
  noncePrefix: string;
}

/** The keys of the protected libraries open in this process, by their media folders. */
const keys = new Map<string, Buffer>();

export function mediaKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'alliance-review media v1', 32));
}

/** Registers a protected library's folders (media, scrub aids) and its data key; returns the unregister. */
export function registerMediaKey(dataDir: string, dataKey: Buffer): () => void {
  const key = mediaKey(dataKey);
  const roots = [path.join(dataDir, 'media'), path.join(dataDir, 'scrub')].map((r) => path.resolve(r) + path.sep);
  for (const r of roots) keys.set(r, key);
  return () => {
    for (const r of roots) if (keys.get(r) === key) keys.delete(r);
    // Locked or closed: the loopback addresses of this library's files answer nothing more, and
    // what they are still sending (to an ffmpeg, or to anyone who read an address) stops now.
    void server?.then((s) => {
      for (const [token, entry] of s.files) if (entry.key === key) s.files.delete(token);
      for (const res of s.open.get(key) ?? []) res.destroy();
      s.open.delete(key);
    });
  };
}

/** Whether the library in `dataDir` is protected and open here (its recordings' key registered). */
export function isProtectedLibrary(dataDir: string): boolean {
  return keyForFile(path.join(dataDir, 'media', 'x')) !== null;
}

/** The key for files under a protected library's folders, or null. */
export function keyForFile(file: string): Buffer | null {
  const abs = path.resolve(file);
  for (const [root, key] of keys) if (abs.startsWith(root)) return key;
  return null;
}

/** The plain size of an encrypted file, from its header (no key needed); null when it is not one. */
export function plainSize(file: string): number | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC))
      return null;
    const len = head.readUInt32BE(MAGIC.length);
    if (len > 4096) return null;
    const json = Buffer.alloc(len);
    fs.readSync(fd, json, 0, len, head.length);
    return (JSON.parse(json.toString('utf8')) as Header).plainBytes;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a file is in this format (its first bytes say so). */
export function isEncryptedMedia(fdOrFile: number | string): boolean {
  const head = Buffer.alloc(MAGIC.length);
  try {
    if (typeof fdOrFile === 'number') fs.readSync(fdOrFile, head, 0, head.length, 0);
    else {
      const fd = fs.openSync(fdOrFile, 'r');
      try {
        fs.readSync(fd, head, 0, head.length, 0);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch {
    return false;
  }
  return head.equals(MAGIC);
}

const nonce = (prefix: Buffer, index: number) => {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(index, 8);
  return n;
};
const aad = (index: number, last: boolean) => {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(index, 0);
  b[4] = last ? 1 : 0;
  return b;
};

/** An encrypted file opened for reading plain bytes at any offset. */
export class EncryptedMedia {
  readonly plainBytes: number;
  private readonly header: Header;
  private readonly dataStart: number;
  private readonly prefix: Buffer;
  private cache: { index: number; plain: Buffer } | null = null;

  constructor(
    readonly fd: number,
    private readonly key: Buffer,
    readonly file: string,
  ) {
    const head = Buffer.alloc(MAGIC.length + 4);
    fs.readSync(fd, head, 0, head.length, 0);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged(file, 'not an encrypted recording');
    const len = head.readUInt32BE(MAGIC.length);
    if (len > 4096) throw damaged(file, 'its header is damaged');
    const json = Buffer.alloc(len);
    fs.readSync(fd, json, 0, len, head.length);
    try {
      this.header = JSON.parse(json.toString('utf8')) as Header;
    } catch {
      throw damaged(file, 'its header is damaged');
    }
    this.dataStart = head.length + len;
    this.plainBytes = this.header.plainBytes;
    this.prefix = Buffer.from(this.header.noncePrefix, 'base64');
    const chunks = Math.max(1, Math.ceil(this.plainBytes / this.header.chunkBytes));
    const expected = this.dataStart + this.plainBytes + chunks * TAG;
    if (fs.fstatSync(fd).size !== expected) throw damaged(file, 'it is shorter or longer than it says');
  }

  static open(file: string, key: Buffer): EncryptedMedia {
    const fd = fs.openSync(file, 'r');
    try {
      return new EncryptedMedia(fd, key, file);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  private chunk(index: number): Buffer {
    if (this.cache?.index === index) return this.cache.plain;
    const size = this.header.chunkBytes;
    const count = Math.max(1, Math.ceil(this.plainBytes / size));
    const last = index === count - 1;
    const plainLen = last ? this.plainBytes - index * size : size;
    const sealed = Buffer.alloc(plainLen + TAG);
    fs.readSync(this.fd, sealed, 0, sealed.length, this.dataStart + index * (size + TAG));
    const d = createDecipheriv('aes-256-gcm', this.key, nonce(this.prefix, index));
    d.setAAD(aad(index, last));
    d.setAuthTag(sealed.subarray(plainLen));
    let plain: Buffer;
    try {
      plain = Buffer.concat([d.update(sealed.subarray(0, plainLen)), d.final()]);
    } catch {
      throw damaged(this.file, `its part ${index + 1} does not decrypt (changed on disk, or another library's)`);
    }
    this.cache = { index, plain };
    return plain;
  }

  /** Plain bytes [start, start + out.length) into `out`; returns how many were read. */
  read(out: Buffer, start: number): number {
    let done = 0;
    const size = this.header.chunkBytes;
    while (done < out.length && start + done < this.plainBytes) {
      const pos = start + done;
      const plain = this.chunk(Math.floor(pos / size));
      const from = pos % size;
      const n = plain.copy(out, done, from, Math.min(plain.length, from + out.length - done));
      done += n;
    }
    return done;
  }

  /** A stream of plain bytes start..end (inclusive); closes the file when done or destroyed. */
  stream(start: number, end: number): Readable {
    let pos = start;
    const readAt = (buf: Buffer, at: number) => this.read(buf, at);
    const close = () => this.close();
    return new Readable({
      highWaterMark: CHUNK,
      read() {
        try {
          if (pos > end) return void this.push(null);
          const buf = Buffer.alloc(Math.min(CHUNK, end - pos + 1));
          const n = readAt(buf, pos);
          pos += n;
          this.push(n ? buf.subarray(0, n) : null);
        } catch (e) {
          this.destroy(e as Error);
        }
      },
      destroy(err, cb) {
        close();
        cb(err);
      },
    });
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

function damaged(file: string, why: string): AppError {
  return new AppError('MEDIA_CORRUPT', `The library's encrypted copy ${path.basename(file)} cannot be read: ${why}.`);
}

/**
 * Encrypts an open plain file into an open output, a batch of chunks per `step` (so the caller
 * may yield between batches). Writes the header first.
 */
class Sealer {
  private readonly prefix: Buffer;
  private readonly count: number;
  private next = 0;
  private readonly buf = Buffer.alloc(CHUNK);

  constructor(
    private readonly src: number,
    private readonly dst: number,
    private readonly key: Buffer,
    readonly plainBytes: number,
    private readonly name: string,
    private readonly offset = 0,
  ) {
    const header: Header = {
      format: 'alliance-review-media',
      version: 1,
      chunkBytes: CHUNK,
      plainBytes,
      noncePrefix: randomBytes(8).toString('base64'),
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    fs.writeSync(dst, Buffer.concat([MAGIC, len, json]));
    this.prefix = Buffer.from(header.noncePrefix, 'base64');
    this.count = Math.max(1, Math.ceil(plainBytes / CHUNK));
  }

  /** Seals up to 16 chunks (1 MiB); false when the file is done. */
  step(): boolean {
    const sealed: Buffer[] = [];
    const until = Math.min(this.count, this.next + 16);
    for (let j = this.next; j < until; j++) {
      const last = j === this.count - 1;
      const want = last ? this.plainBytes - j * CHUNK : CHUNK;
      if (fs.readSync(this.src, this.buf, 0, want, this.offset + j * CHUNK) !== want)
        throw new AppError('FILE_UNREADABLE', `${this.name} changed while it was copied.`);
      const c = createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, j));
      c.setAAD(aad(j, last));
      sealed.push(c.update(this.buf.subarray(0, want)), c.final(), c.getAuthTag());
    }
    fs.writeSync(this.dst, Buffer.concat(sealed));
    this.next = until;
    return this.next < this.count;
  }

  get done(): number {
    return Math.min(this.plainBytes, this.next * CHUNK);
  }
}

/**
 * Encrypts `src` into `dst` (through `dst.partial`, synced, renamed; owner-only). `progress`
 * gets the plain bytes done; `signal` stops it, leaving nothing. Yields between megabytes.
 */
export async function encryptFile(
  src: string,
  dst: string,
  key: Buffer,
  opts: { progress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<void> {
  await sealInto(src, dst, key, async (sealer) => {
    while (sealer.step()) {
      opts.progress?.(sealer.done, sealer.plainBytes);
      if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      await new Promise((r) => setImmediate(r));
    }
    opts.progress?.(sealer.plainBytes, sealer.plainBytes);
  });
}

/** The same at once (inside a transaction, which must not yield), of `range` of `src` when given. */
export function encryptFileSync(src: string, dst: string, key: Buffer, range?: { offset: number; size: number }): void {
  sealInto(
    src,
    dst,
    key,
    (sealer) => {
      while (sealer.step());
    },
    range,
  );
}

/** Opens, seals through `run` and renames; returns what `run` returns (sync when it is). */
function sealInto<T>(
  src: string,
  dst: string,
  key: Buffer,
  run: (s: Sealer) => T,
  range?: { offset: number; size: number },
): T {
  const partial = `${dst}.partial`;
  let input: number | null = fs.openSync(src, 'r');
  let output: number | null = null;
  const cleanup = () => {
    if (output !== null) fs.closeSync(output);
    if (input !== null) fs.closeSync(input);
    output = input = null;
  };
  const fail = (e: unknown): never => {
    cleanup();
    fs.rmSync(partial, { force: true });
    throw e;
  };
  const finish = () => {
    fs.fsyncSync(output!);
    cleanup();
    fs.renameSync(partial, dst);
  };
  try {
    output = fs.openSync(partial, 'w', 0o600);
    const sealer = range
      ? new Sealer(input, output, key, range.size, path.basename(dst), range.offset)
      : new Sealer(input, output, key, fs.fstatSync(input).size, path.basename(src));
    const result = run(sealer);
    if (result instanceof Promise) {
      return result.then((v: unknown) => {
        try {
          finish();
        } catch (e) {
          fail(e);
        }
        return v;
      }, fail) as T;
    }
    finish();
    return result;
  } catch (e) {
    return fail(e);
  }
}

/** Decrypts `src` into `dst` (through `dst.partial`, then renamed). */
export async function decryptFile(src: string, dst: string, key: Buffer): Promise<void> {
  const partial = `${dst}.partial`;
  const media = EncryptedMedia.open(src, key);
  try {
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      const stream = media.stream(0, media.plainBytes - 1);
      stream.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolve);
      stream.pipe(out);
    });
    await fs.promises.rename(partial, dst);
  } catch (e) {
    await fs.promises.rm(partial, { force: true });
    throw e;
  } finally {
    media.close();
  }
}

/** Every file in a library's media and scrub folders (not half-written ones). */
function libraryMediaFiles(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.endsWith('.partial')) out.push(p);
    }
  };
  walk(path.join(dataDir, 'media'));
  walk(path.join(dataDir, 'scrub'));
  return out;
}

/** Encrypts (to: a data key) or decrypts (to: null) every copy in the library's folders, in place. */
export async function convertLibraryMedia(dataDir: string, dataKey: Buffer, encrypt: boolean): Promise<number> {
  const key = mediaKey(dataKey);
  let n = 0;
  for (const file of libraryMediaFiles(dataDir)) {
    if (isEncryptedMedia(file) === encrypt) continue;
    if (encrypt) await encryptFile(file, file, key);
    else await decryptFile(file, file, key);
    n++;
  }
  return n;
}

/**
 * What ffmpeg (and anything else that wants a path) should read for `file`: the file itself
 * when it is plain, or an address of this process's loopback server that decrypts it.
 */
export async function ffmpegInput(file: string): Promise<string> {
  const key = keyForFile(file);
  if (!key || !isEncryptedMedia(file)) return file;
  const server = await loopback();
  // One address per file for the life of the process (so the table stays as small as the library).
  let token = [...server.files.entries()].find(([, e]) => e.file === file && e.key === key)?.[0];
  if (!token) {
    token = randomBytes(24).toString('hex');
    server.files.set(token, { file, key });
  }
  // The address stands in ffmpeg's arguments, which other local users can read: it names no file
  // and no port, and alone it opens nothing. ffmpeg reaches it through this process's loopback
  // server as its HTTP proxy, with the proxy's password from its environment (mediaToolEnv),
  // which only this user can read.
  return `http://${PROXIED_HOST}/${token}/media${path.extname(file).replace(/[^.\w]/g, '')}`;
}

/** The host name the loopback addresses carry (never resolved: ffmpeg asks the proxy). */
const PROXIED_HOST = 'alliance-review.invalid';
/** The loopback server as ffmpeg's proxy, with its password: set once the server runs. */
let proxyUrl: string | null = null;

/**
 * The environment for ffmpeg and ffprobe: when the loopback server runs, it is their HTTP proxy,
 * with its per-process password (outside their arguments: /proc/PID/environ is readable by
 * this user only). Any proxy of the user's own is not used: ffmpeg here never needs the network.
 */
export function mediaToolEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.HTTP_PROXY;
  delete env.HTTPS_PROXY;
  delete env.ALL_PROXY;
  delete env.all_proxy;
  delete env.https_proxy;
  if (proxyUrl) {
    env.http_proxy = proxyUrl;
    env.no_proxy = '';
    env.NO_PROXY = '';
  } else delete env.http_proxy;
  return env;
}

interface Loopback {
  port: number;
  /** The proxy's password: ffmpeg gets it in its environment, never in its arguments. */
  secret: string;
  files: Map<string, { file: string; key: Buffer }>;
  /** Responses being sent, by the key of the library they read (ended when it locks). */
  open: Map<Buffer, Set<http.ServerResponse>>;
}
let server: Promise<Loopback> | null = null;

function loopback(): Promise<Loopback> {
  server ??= new Promise((resolve, reject) => {
    const files = new Map<string, { file: string; key: Buffer }>();
    const open = new Map<Buffer, Set<http.ServerResponse>>();
    const secret = randomBytes(24).toString('hex');
    const expected = Buffer.from(`Basic ${Buffer.from(`ar:${secret}`).toString('base64')}`);
    const s = http.createServer((req, res) => {
      // Only a client that knows the password (ffmpeg, from its environment) is answered; the
      // challenge makes ffmpeg send it (it sends none until asked).
      const given = Buffer.from(String(req.headers['proxy-authorization'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="alliance-review"' }).end();
        return;
      }
      let pathname = '';
      try {
        const url = new URL(req.url ?? '', `http://${PROXIED_HOST}`);
        if (url.hostname === PROXIED_HOST) pathname = url.pathname;
      } catch {
        // not an address of ours
      }
      const token = /^\/([0-9a-f]{48})\//.exec(pathname)?.[1];
      const entry = token
        ? [...files.entries()].find(
            ([t]) => t.length === token.length && timingSafeEqual(Buffer.from(t), Buffer.from(token)),
          )?.[1]
        : undefined;
      // Only while the library that registered it is open (its key still registered for the file).
      if (!entry || keyForFile(entry.file) !== entry.key || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404).end();
        return;
      }
      let media: EncryptedMedia;
      try {
        media = EncryptedMedia.open(entry.file, entry.key);
      } catch {
        res.writeHead(410).end();
        return;
      }
      const size = media.plainBytes;
      const range = req.headers.range ? parseRange(req.headers.range, size) : null;
      if (req.headers.range && !range) {
        media.close();
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      const [start, end] = range ?? [0, size - 1];
      res.writeHead(range ? 206 : 200, {
        'Accept-Ranges': 'bytes',
        'Content-Length': String(end - start + 1),
        ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
      });
      if (req.method === 'HEAD' || size === 0) {
        media.close();
        res.end();
        return;
      }
      const stream = media.stream(start, end);
      const sending = open.get(entry.key) ?? new Set<http.ServerResponse>();
      open.set(entry.key, sending.add(res));
      stream.on('error', () => res.destroy());
      res.on('close', () => {
        stream.destroy();
        sending.delete(res);
      });
      stream.pipe(res);
    });
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      s.unref();
      const port = (s.address() as AddressInfo).port;
      proxyUrl = `http://ar:${secret}@127.0.0.1:${port}`;
      resolve({ port, secret, files, open });
    });
  });
  return server;
}
