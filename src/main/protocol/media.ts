/**
 * The media route, shared by Electron's `media://` protocol and the browser host's `/media/`:
 * serves only recordings registered in the library, by id, and answers HTTP Range requests
 * (206) so that seeking in an hour-long file reads only what it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { LibraryService } from '../library/library';
import { fingerprintFd, fingerprintOf } from '../media/media';
import { parseRange } from '../media/range';

export { parseRange } from '../media/range';
import { EncryptedMedia, isEncryptedMedia, keyForFile } from '../protection/media-crypt';

/**
 * A protected library's copy (encrypted on disk): opened for plain reads with its library's
 * key; null for a plain file. Throws when it cannot be read (no key: its library is locked).
 */
function encryptedAt(fd: number, file: string): EncryptedMedia | null {
  if (!isEncryptedMedia(fd)) return null;
  const key = keyForFile(file);
  if (!key) throw new Error('locked');
  return new EncryptedMedia(fd, key, file);
}

export interface MediaPlan {
  status: 200 | 206 | 400 | 404 | 409 | 410 | 416;
  headers: Record<string, string>;
  /**
   * Byte range to send (inclusive) from `fd`, an open descriptor of the checked file that the
   * caller streams from and closes; or a short text body for errors (no descriptor open).
   */
  body: { file: string; fd: number; start: number; end: number; media?: EncryptedMedia } | string;
}

/**
 * Files already checked against their recording's fingerprint, by recording id: re-checked
 * whenever the file's identity (device, inode), size or modification time changes, so a seek
 * costs an fstat, not a hash.
 */
const verified = new Map<number, string>();
const identity = (st: fs.Stats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
};

const text = (status: MediaPlan['status'], body: string): MediaPlan => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  body,
});

/**
 * Plans the reply for `idPart` (the path after the route prefix: a recording id and nothing
 * else) and an optional Range header. Anything that is not a plain id is refused, which also
 * refuses every traversal attempt.
 */
export function planMedia(
  library: LibraryService,
  idPart: string,
  range: string | undefined,
  scrubFile?: (recordingId: number) => string | null,
): MediaPlan {
  const scrub = /^([1-9]\d{0,15})\/scrub$/.exec(idPart);
  if (scrub) {
    // A recording's scrub aid: a file the app wrote into its own folder, found by id.
    const file = scrubFile?.(Number(scrub[1])) ?? null;
    if (!file) return text(404, 'This recording has no scrub aid (yet).');
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return text(404, 'This recording has no scrub aid (yet).');
    }
    let media: EncryptedMedia | null;
    try {
      media = encryptedAt(fd, file);
    } catch {
      fs.closeSync(fd);
      return text(404, 'This recording has no scrub aid (yet).');
    }
    const size = media ? media.plainBytes : fs.fstatSync(fd).size;
    return ranged(
      file,
      fd,
      size,
      range,
      {
        'Content-Type': 'video/mp4',
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-store',
      },
      media,
    );
  }
  if (!/^[1-9]\d{0,15}$/.test(idPart)) return text(404, 'Not a recording.');
  let stored: ReturnType<LibraryService['stored']>;
  try {
    stored = library.stored(Number(idPart));
  } catch {
    return text(404, 'Not a recording.');
  }
  const file = stored.path;
  // Open first, then check what was opened: a file swapped at the path (a symlink pointed
  // elsewhere, another file copied over it) is never served in the recording's place.
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return text(410, 'The recording is no longer where it was.');
  }
  let size: number;
  let media: EncryptedMedia | null = null;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error('not a file');
    media = encryptedAt(fd, file);
    size = media ? media.plainBytes : st.size;
    const key = identity(st);
    if (verified.get(stored.id) !== key) {
      const found = media ? fingerprintOf((buf, pos) => media!.read(buf, pos), size) : fingerprintFd(fd, size);
      if (size !== stored.sizeBytes || found !== stored.fingerprint) {
        fs.closeSync(fd);
        verified.delete(stored.id);
        return text(
          409,
          "The file at the recording's path is not the recording that was imported. Relink it in the library.",
        );
      }
      verified.set(stored.id, key);
    }
  } catch {
    fs.closeSync(fd);
    return text(410, 'The recording is no longer where it was.');
  }
  const headers: Record<string, string> = {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
  };
  return ranged(file, fd, size, range, headers, media);
}

/** The whole file (200) or the asked range (206) of an open, checked file. */
function ranged(
  file: string,
  fd: number,
  size: number,
  range: string | undefined,
  headers: Record<string, string>,
  media: EncryptedMedia | null = null,
): MediaPlan {
  const m = media ? { media } : {};
  if (!range) {
    return {
      status: 200,
      headers: { ...headers, 'Content-Length': String(size) },
      body: { file, fd, start: 0, end: size - 1, ...m },
    };
  }
  const parsed = parseRange(range, size);
  if (!parsed) {
    fs.closeSync(fd);
    return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: '' };
  }
  const [start, end] = parsed;
  return {
    status: 206,
    headers: {
      ...headers,
      'Content-Length': String(end - start + 1),
      'Content-Range': `bytes ${start}-${end}/${size}`,
    },
    body: { file, fd, start, end, ...m },
  };
}

/** A stream of the planned bytes (decrypted, for a protected library's copy); it closes the descriptor when done or destroyed. */
export function mediaStream(body: Exclude<MediaPlan['body'], string>): Readable {
  if (body.media) return body.media.stream(body.start, body.end);
  return fs.createReadStream('', { fd: body.fd, start: body.start, end: body.end, autoClose: true });
}

/** Closes a plan's descriptor when nothing will be streamed (HEAD, errors). */
export function closePlan(plan: MediaPlan): void {
  if (typeof plan.body !== 'string') fs.closeSync(plan.body.fd);
}
