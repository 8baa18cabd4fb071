/**
 * The `app://` protocol that serves the built renderer in Electron, instead of allowing all of
 * `file:`: only files inside the renderer folder, by their path in the URL, with the page's
 * content security policy. Plain Node, so it is tested without Electron.
 */
import fs from 'node:fs';
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://renderer';
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/** Content types of the built renderer's files (also served by the browser host). */
export const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' media:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface AppPlan {
  status: 200 | 404;
  headers: Record<string, string>;
  /** The file to send, or a short text for a refusal. */
  body: { file: string } | string;
}

/** Plans the answer to an `app://renderer/...` URL from the files in `rendererDir`. */
export function planApp(rendererDir: string, url: string): AppPlan {
  const notFound: AppPlan = { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found.' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return notFound;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return notFound;
  let rel: string;
  try {
    rel = decodeURIComponent(parsed.pathname).replace(/^\/+/, '') || 'index.html';
  } catch {
    return notFound;
  }
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return notFound;
  try {
    if (!fs.statSync(file).isFile()) return notFound;
  } catch {
    return notFound;
  }
  const type = RENDERER_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = APP_CSP;
  return { status: 200, headers, body: { file } };
}
