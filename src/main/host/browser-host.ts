/**
 * The browser host: the real core services behind a small HTTP server on 127.0.0.1, serving the
 * built renderer, the contract and the media route. For tests, screenshots, benchmarks and
 * development on machines without Electron's binary. Never part of the packaged app.
 *
 * Every request needs the random token: as `?token=` on the first page load (which sets a
 * same-site cookie), then the cookie or an `X-Alliance-Token` header.
 *
 * Contract calls come over one WebSocket (`/rpc`, same token, same host check, and only from
 * this host's own pages), like Electron's IPC a single ordered channel without a request's
 * HTTP overhead; `POST /api/<channel>` does the same for scripts and as the page's fallback.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { EventMap, EventName } from '../../shared/contract';
import { createCore, type Core } from '../core/app';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { noDialogs } from '../platform/types';
import { planMedia } from '../protocol/media';

export interface BrowserHostOptions {
  dataDir: string;
  rendererDir: string;
  port?: number;
  token?: string;
  version?: string;
}

export interface BrowserHost {
  url: string;
  token: string;
  port: number;
  core: Core;
  close(): Promise<void>;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' media:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const COOKIE = 'alliance_token';
const MAX_BODY = 1024 * 1024;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const clients = new Set<http.ServerResponse>();
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of clients) res.write(frame);
  };
  const core = createCore({ dataDir: options.dataDir, emit });
  const handlers = createHandlers(core, noDialogs, { host: 'browser', version: options.version ?? '0.0.0' });
  const rendererDir = path.resolve(options.rendererDir);

  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    const given = [url.searchParams.get('token'), header(req, 'x-alliance-token'), cookie(req.headers.cookie, COOKIE)];
    return given.some((g) => g !== null && g !== undefined && safeEqual(g, token));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Refuse anything addressed to another host name (DNS rebinding).
    const hostHeader = req.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(hostHeader)) return send(res, 421, 'Wrong host.');
    if (!authorized(req, url)) return send(res, 401, 'This address needs the token printed when the host started.');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (url.searchParams.get('token')) {
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    const route = url.pathname;
    if (route.startsWith('/api/') && req.method === 'POST') {
      void handleApi(req, res, decodeURIComponent(route.slice(5)));
      return;
    }
    if (route === '/events' && req.method === 'GET') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (route.startsWith('/media/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const plan = planMedia(core.library, route.slice(7), header(req, 'range') ?? undefined);
      res.writeHead(plan.status, plan.headers);
      if (req.method === 'HEAD' || typeof plan.body === 'string')
        return res.end(typeof plan.body === 'string' ? plan.body : undefined);
      const stream = fs.createReadStream(plan.body.file, { start: plan.body.start, end: plan.body.end });
      stream.on('error', () => res.destroy());
      res.on('close', () => stream.destroy());
      stream.pipe(res);
      return;
    }
    if (req.method === 'GET') return serveStatic(res, rendererDir, route);
    return send(res, 405, 'Method not allowed.');
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, channel: string) {
    let raw = '';
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return send(res, 413, 'Request too large.');
      raw += (chunk as Buffer).toString('utf8');
    }
    let input: unknown;
    try {
      input = raw ? JSON.parse(raw) : {};
    } catch {
      return json(res, { ok: false, error: { code: 'INVALID_INPUT', message: 'The request was not valid JSON.' } });
    }
    json(res, await dispatch(handlers, channel, input));
  }

  // The contract over a WebSocket: messages {id, channel, input} answered by {id, result}.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const hostHeader = req.headers.host ?? '';
    const origin = header(req, 'origin');
    const ok =
      url.pathname === '/rpc' &&
      /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(hostHeader) &&
      origin === `http://${hostHeader}` &&
      authorized(req, url);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveRpc(ws));
  });
  function serveRpc(ws: WebSocket) {
    ws.on('message', (data) => {
      let msg: { id?: unknown; channel?: unknown; input?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return ws.close(1003, 'Not JSON.');
      }
      if (typeof msg.id !== 'number' || typeof msg.channel !== 'string') return ws.close(1003, 'Not a call.');
      const id = msg.id;
      void dispatch(handlers, msg.channel, msg.input ?? {}).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    core,
    close: async () => {
      for (const res of clients) res.end();
      clients.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await core.imports.idle();
      core.close();
    },
  };
}

function serveStatic(res: http.ServerResponse, root: string, route: string) {
  const rel = route === '/' ? 'index.html' : decodeSafe(route.slice(1));
  const file = rel === null ? null : path.resolve(root, rel);
  if (!file || !file.startsWith(root + path.sep)) return send(res, 404, 'Not found.');
  fs.readFile(file, (err, data) => {
    if (err) return send(res, 404, 'Not found.');
    const type = STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-store' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
    res.writeHead(200, headers);
    res.end(data);
  });
}

function decodeSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function header(req: http.IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function cookie(all: string | undefined, name: string): string | null {
  if (!all) return null;
  for (const part of all.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function send(res: http.ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function json(res: http.ServerResponse, value: unknown) {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(value));
}
