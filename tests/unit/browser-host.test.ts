import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host';
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

beforeAll(async () => {
  const data = tempDir();
  const renderer = tempDir();
  dirs = [data, renderer];
  fs.writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>Alliance Review</title>');
  host = await startBrowserHost({ dataDir: data.dir, rendererDir: renderer.dir });
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
    expect((await request('/api/cases:list', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
  });

  it('refuses other host names (DNS rebinding)', async () => {
    const res = await request(`/?token=${host.token}`, { headers: { Host: 'evil.example:80' } });
    expect(res.status).toBe(421);
  });

  it('serves the renderer with a strict CSP and sets a same-site cookie for the token', async () => {
    const res = await request(`/?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
    expect((await request('/', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('answers the contract over POST', async () => {
    const res = await request('/api/cases:list', { method: 'POST', headers: auth(), body: '{}' });
    const json = JSON.parse(res.body.toString()) as { ok: boolean; value: { code: string }[] };
    expect(json.ok).toBe(true);
    expect(json.value.map((c) => c.code)).toEqual(['C-1']);
    const bad = await request('/api/cases:create', { method: 'POST', headers: auth(), body: '{not json' });
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

  describe('contract over a WebSocket', () => {
    /** Opens /rpc; resolves with the socket, or with the HTTP status the upgrade was refused with. */
    const open = (query: string, headers: Record<string, string>) =>
      new Promise<WebSocket | number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc${query}`, { headers });
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

    it('refuses a connection without the token, or from another origin', async () => {
      expect(await open('', origin())).toBe(403);
      expect(await open(`?token=${host.token}`, { Origin: 'http://evil.example' })).toBe(403);
      expect(await open(`?token=${host.token}`, {})).toBe(403);
    });

    it('answers calls in order, with the same results and messages as the HTTP route', async () => {
      const ws = (await open(`?token=${host.token}`, origin())) as WebSocket;
      const [cases, bad] = await Promise.all([
        call(ws, 1, 'cases:list', {}),
        call(ws, 2, 'sessions:get', { id: 'seven' }),
      ]);
      expect(cases).toMatchObject({ ok: true, value: [{ code: 'C-1' }] });
      expect(bad).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('id') },
      });
      ws.close();
    });
  });
});
