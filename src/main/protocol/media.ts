/**
 * The media route, shared by Electron's `media://` protocol and the browser host's `/media/`:
 * serves only recordings registered in the library, by id, and answers HTTP Range requests
 * (206) so that seeking in an hour-long file reads only what it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LibraryService } from '../core/library';

export interface MediaPlan {
  status: 200 | 206 | 400 | 404 | 410 | 416;
  headers: Record<string, string>;
  /** Byte range of the file to send (inclusive), or a short text body for errors. */
  body: { file: string; start: number; end: number } | string;
}

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
export function planMedia(library: LibraryService, idPart: string, range: string | undefined): MediaPlan {
  if (!/^[1-9]\d{0,15}$/.test(idPart)) return text(404, 'Not a recording.');
  let file: string;
  try {
    file = library.stored(Number(idPart)).path;
  } catch {
    return text(404, 'Not a recording.');
  }
  let size: number;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return text(410, 'The recording is no longer where it was.');
    size = st.size;
  } catch {
    return text(410, 'The recording is no longer where it was.');
  }
  const headers: Record<string, string> = {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
  };
  if (!range) {
    return {
      status: 200,
      headers: { ...headers, 'Content-Length': String(size) },
      body: { file, start: 0, end: size - 1 },
    };
  }
  const parsed = parseRange(range, size);
  if (!parsed) {
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
    body: { file, start, end },
  };
}

/** Parses a single `bytes=` range; multi-range requests are answered with their first range. */
export function parseRange(header: string, size: number): [number, number] | null {
  const m = /^bytes=(\d*)-(\d*)(?:,.*)?$/.exec(header.trim());
  if (!m || size === 0) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return null;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || end < start) return null;
  return [start, end];
}
