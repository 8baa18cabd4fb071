import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/main/hosts/browser-host';
import { mediaFile } from '../support/media';
import { tempDir } from '../support/tmp';

let host: BrowserHost;
let dirs: ReturnType<typeof tempDir>[];
let recordingId: number;
let size: number;
let bytes: Buffer;

function request(
  pathname: string,
  options: { headers?: Record<string, string>; method?: string; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathname, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
const auth = () => ({ 'X-Alliance-Token': host.token });
const json = () => ({ ...auth(), 'Content-Type': 'application/json' });

/** Sends bytes as they are (Node's client refuses malformed paths) and returns the status line. */
function rawRequest(raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(host.port, '127.0.0.1', () => socket.write(raw));
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(text));
  });
}

beforeAll(async () => {
  const data = tempDir();
  const renderer = tempDir();
  dirs = [data, renderer];
  fs.writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>Alliance Review</title>');
  host = await startBrowserHost({
    dataDir: data.dir,
    rendererDir: renderer.dir,
    scrubAid: false,
    dailyBackups: false,
    bodyTimeoutMs: 400,
  });
  const file = mediaFile('av.mp4');
  bytes = fs.readFileSync(file);
  size = bytes.length;
  const c = host.core.library.createCase({ code: 'C-1', therapist: '', notes: '' });
  const s = host.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
  recordingId = (await host.core.imports.importOne(s.id, file, { offsetMs: 0, copy: false })).id;
});
afterAll(async () => {
  await host.close();
  dirs.forEach((d) => d.cleanup());
});

describe('browser host', () => {
  it('listens on loopback only and prints a tokenised address', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  it('rejects requests without the token', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request(`/media/${recordingId}`)).status).toBe(401);
    expect((await request(`/media/${recordingId}?k=wrong`)).status).toBe(401);
    expect((await request('/api/cases:list', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await request('/events')).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
    // The token in a query string opens the page only, never the data routes.
    expect((await request(`/api/cases:list?token=${host.token}`, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('refuses other host names (DNS rebinding)', async () => {
    const res = await request(`/?token=${host.token}`, { headers: { Host: 'evil.example:80' } });
    expect(res.status).toBe(421);
  });

  it('serves the renderer with a strict CSP, sets no cookie, and gives the page a media key', async () => {
    const res = await request(`/?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // Cookies ignore ports: a cookie would be sent to every other server on 127.0.0.1.
    expect(res.headers['set-cookie']).toBeUndefined();
    const key = /name="alliance-media-key" content="([0-9a-f]+)"/.exec(res.body.toString())?.[1];
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toBe(host.token);
    const media = await request(`/media/${recordingId}?k=${key}`, { headers: { Range: 'bytes=0-9' } });
    expect(media.status).toBe(206);
  });

  it('refuses contract calls from another local page (origin, fetch site, content type)', async () => {
    const before = await request('/api/cases:list', { method: 'POST', headers: json(), body: '{}' });
    const count = (JSON.parse(before.body.toString()) as { value: unknown[] }).value.length;
    const attempts: Record<string, string>[] = [
      { ...json(), Origin: 'http://127.0.0.1:9999' },
      { ...json(), 'Sec-Fetch-Site': 'same-site' },
      { ...json(), 'Sec-Fetch-Site': 'cross-site' },
      { ...auth(), 'Content-Type': 'text/plain' },
      { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' },
    ];
    for (const headers of attempts) {
      const res = await request('/api/cases:create', { method: 'POST', headers, body: '{"code":"C-EVIL"}' });
      expect([403, 415], JSON.stringify(headers)).toContain(res.status);
    }
    const after = await request('/api/cases:list', { method: 'POST', headers: json(), body: '{}' });
    expect((JSON.parse(after.body.toString()) as { value: unknown[] }).value).toHaveLength(count);
  });

  it('survives malformed requests before authentication', async () => {
    for (const p of ['//[', '/api/%zz', '/%zz', '/media/%zz']) {
      const res = await rawRequest(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(res, p).toMatch(/^HTTP\/1\.1 (400|401|404)/);
    }
    const bad = await request('/api/%zz', { method: 'POST', headers: json(), body: '{}' });
    expect(bad.status).toBe(400);
    // Still alive.
    expect((await request('/api/cases:list', { method: 'POST', headers: json(), body: '{}' })).status).toBe(200);
  });

  it('keeps a request body whole when a character is split between chunks', async () => {
    const body = Buffer.from(JSON.stringify({ code: 'C-UTF', therapist: 'Zoë Ødegård 心理' }));
    const cut = body.indexOf(Buffer.from('ë')) + 1; // inside the two bytes of ë
    const res = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: host.port, path: '/api/cases:create', method: 'POST', headers: json() },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks).toString()));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, cut));
      setTimeout(() => req.end(body.subarray(cut)), 50);
    });
    expect(JSON.parse(res)).toMatchObject({ ok: true, value: { therapist: 'Zoë Ødegård 心理' } });
  });

  it('survives a body shorter than its Content-Length, a slow body and a too-large one, and answers on', async () => {
    const head = (length: number) =>
      `POST /api/app:info HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Alliance-Token: ${host.token}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    // Less than it promised, then the connection closes: before, the host died ("Error: aborted").
    await new Promise<void>((resolve) => {
      const socket = net.connect(host.port, '127.0.0.1', () => {
        socket.write(`${head(1000)}{"a":`);
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // Part of a body, then nothing: cut off after the body timeout with an answer.
    const slow = await new Promise<string>((resolve) => {
      const socket = net.connect(host.port, '127.0.0.1', () => socket.write(`${head(100)}{"a":`));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
      socket.on('error', () => resolve(text));
    });
    expect(slow).toMatch(/^(HTTP\/1.1 400|)$/);
    // Declared too large: refused before reading.
    expect(await rawRequest(`${head(50 * 1024 * 1024)}{}`)).toBe('HTTP/1.1 413 Payload Too Large');
    const ok = await request('/api/app:info', { method: 'POST', headers: json(), body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString()).ok).toBe(true);
  });

  it('answers the contract over POST', async () => {
    const res = await request('/api/cases:list', { method: 'POST', headers: json(), body: '{}' });
    const answer = JSON.parse(res.body.toString()) as { ok: boolean; value: { code: string }[] };
    expect(answer.ok).toBe(true);
    expect(answer.value.map((c) => c.code)).toContain('C-1');
    const bad = await request('/api/cases:create', { method: 'POST', headers: json(), body: '{not json' });
    expect(JSON.parse(bad.body.toString())).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('media route', () => {
  it('serves a whole registered recording', async () => {
    const res = await request(`/media/${recordingId}`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.body.equals(bytes)).toBe(true);
  });

  it('answers Range requests with 206 and exactly those bytes', async () => {
    const res = await request(`/media/${recordingId}`, { headers: { ...auth(), Range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(res.body.equals(bytes.subarray(100, 200))).toBe(true);
    const open = await request(`/media/${recordingId}`, { headers: { ...auth(), Range: `bytes=${size - 10}-` } });
    expect(open.status).toBe(206);
    expect(open.body.equals(bytes.subarray(size - 10))).toBe(true);
    const suffix = await request(`/media/${recordingId}`, { headers: { ...auth(), Range: 'bytes=-5' } });
    expect(suffix.body.equals(bytes.subarray(size - 5))).toBe(true);
  });

  it('answers 416 for a range past the end', async () => {
    const res = await request(`/media/${recordingId}`, { headers: { ...auth(), Range: `bytes=${size}-` } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${size}`);
  });

  it('refuses path traversal and anything that is not a registered recording', async () => {
    for (const p of [
      '/media/..%2F..%2Fetc%2Fpasswd',
      '/media/../../etc/passwd',
      '/media/%2Fetc%2Fpasswd',
      `/media/${recordingId}%2F..%2F..%2Fetc%2Fpasswd`,
      '/media/999',
      '/media/0',
      '/media/1.0',
    ]) {
      const res = await request(p, { headers: auth() });
      expect(res.status, p).toBe(404);
      expect(res.body.toString()).not.toContain('root:');
    }
    const staticTraversal = await request('/..%2F..%2F..%2Fetc%2Fpasswd', { headers: auth() });
    expect(staticTraversal.status).toBe(404);
  });

  it('serves only the file that was registered: a swapped symlink or a replaced file is refused', async () => {
    const work = tempDir();
    dirs.push(work);
    const link = path.join(work.dir, 'session.mp4');
    fs.symlinkSync(mediaFile('av.mp4'), link);
    const s = host.core.library.createSession({ caseId: 1, number: 77, date: null, modality: '', notes: '' });
    const id = (await host.core.imports.importOne(s.id, link, { offsetMs: 0, copy: false })).id;
    expect((await request(`/media/${id}`, { headers: { ...auth(), Range: 'bytes=0-3' } })).status).toBe(206);
    // The link now points elsewhere: a system file must never be served as a recording.
    fs.unlinkSync(link);
    fs.symlinkSync('/etc/passwd', link);
    const swapped = await request(`/media/${id}`, { headers: auth() });
    expect(swapped.status).toBe(409);
    expect(swapped.body.toString()).not.toContain('root:');
    // Another file of exactly the same size is refused too (fingerprint, not just size).
    fs.unlinkSync(link);
    const fake = Buffer.from(bytes);
    fake.fill(0, 0, 4096);
    fs.writeFileSync(link, fake);
    expect((await request(`/media/${id}`, { headers: auth() })).status).toBe(409);
    // Put back, it is served again.
    fs.unlinkSync(link);
    fs.copyFileSync(mediaFile('av.mp4'), link);
    expect((await request(`/media/${id}`, { headers: { ...auth(), Range: 'bytes=0-3' } })).status).toBe(206);
  });

  describe('contract over a WebSocket', () => {
    /** Opens /rpc; resolves with the socket, or with the HTTP status the upgrade was refused with. */
    const open = (protocols: string[], headers: Record<string, string>) =>
      new Promise<WebSocket | number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc`, protocols, { headers });
        ws.on('open', () => resolve(ws));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(0));
      });
    const origin = () => ({ Origin: `http://127.0.0.1:${host.port}` });
    const call = (ws: WebSocket, id: number, channel: string, input: unknown) =>
      new Promise<unknown>((resolve) => {
        const onMessage = (data: WebSocket.RawData) => {
          const msg = JSON.parse(String(data)) as { id: number; result: unknown };
          if (msg.id !== id) return;
          ws.off('message', onMessage);
          resolve(msg.result);
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, channel, input }));
      });

    const withToken = () => ['alliance.rpc.v1', `token.${host.token}`];

    it('refuses a connection without the token, or from another origin', async () => {
      expect(await open(['alliance.rpc.v1'], origin())).toBe(403);
      expect(await open(['alliance.rpc.v1', 'token.wrong'], origin())).toBe(403);
      expect(await open(withToken(), { Origin: 'http://evil.example' })).toBe(403);
      expect(await open(withToken(), {})).toBe(403);
    });

    it('closes a socket that sends null, a non-call or a frame over 1 MiB, and stays up', async () => {
      for (const message of ['null', '42', '"x"', '[]', '{"id":"1","channel":3}', 'x'.repeat(1024 * 1024 + 10)]) {
        const ws = (await open(withToken(), origin())) as WebSocket;
        const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
        ws.on('error', () => undefined);
        ws.send(message);
        expect([1003, 1006, 1009]).toContain(await closed);
      }
      const ws = (await open(withToken(), origin())) as WebSocket;
      expect(await call(ws, 1, 'cases:list', {})).toMatchObject({ ok: true });
      ws.close();
    });

    it('answers calls in order, with the same results and messages as the HTTP route', async () => {
      const ws = (await open(withToken(), origin())) as WebSocket;
      const [cases, bad] = await Promise.all([
        call(ws, 1, 'cases:list', {}),
        call(ws, 2, 'sessions:get', { id: 'seven' }),
      ]);
      expect(cases).toMatchObject({
        ok: true,
        value: expect.arrayContaining([expect.objectContaining({ code: 'C-1' })]),
      });
      expect(bad).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('id') },
      });
      ws.close();
    });
  });
});
