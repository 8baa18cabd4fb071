/**
 * Recordings copied into a protected library: encrypted on disk, and still played (Range),
 * seeked, cut, analysed and packed as the recordings they are. Real (synthetic) media and the
 * bundled ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { cliIn } from '../../../tests/support/cli';
import { tempDir } from '../../../tests/support/tmp';
import { closePlan, mediaStream, planMedia } from '../protocol/media';
import { createCore } from '../app';
import { ffprobePath } from '../media/binaries';
import { exportClip } from '../reports/clips';
import { protectLibrary, protectionState, unprotectLibrary, unwrapKey } from './library-key';
import { EncryptedMedia, encryptFile, ffmpegInput, isEncryptedMedia, mediaKey, mediaToolEnv } from './media-crypt';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const PASS = 'media passphrase 2026';

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const read = async (s: NodeJS.ReadableStream) => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

describe('the encrypted media format', () => {
  it('reads back any range exactly; a changed or cut file is refused, never served as something else', async () => {
    const d = dir();
    const plain = Buffer.alloc(300_000);
    for (let i = 0; i < plain.length; i++) plain[i] = (i * 7919) % 251;
    fs.writeFileSync(path.join(d, 'p.bin'), plain);
    const key = mediaKey(Buffer.alloc(32, 1));
    await encryptFile(path.join(d, 'p.bin'), path.join(d, 'e.bin'), key);
    const enc = fs.readFileSync(path.join(d, 'e.bin'));
    expect(isEncryptedMedia(path.join(d, 'e.bin'))).toBe(true);
    expect(enc.includes(plain.subarray(1000, 1064))).toBe(false);
    const m = EncryptedMedia.open(path.join(d, 'e.bin'), key);
    expect(m.plainBytes).toBe(plain.length);
    // Ranges across chunk borders, at the start and the end.
    for (const [a, b] of [
      [0, 0],
      [65_530, 65_545],
      [100_000, 299_999],
      [299_999, 299_999],
      [0, 299_999],
    ] as const) {
      expect(
        (await read(EncryptedMedia.open(path.join(d, 'e.bin'), key).stream(a, b))).equals(plain.subarray(a, b + 1)),
      ).toBe(true);
    }
    m.close();
    // One changed byte: that part does not decrypt.
    const changed = Buffer.from(enc);
    changed[enc.length - 70_000]! ^= 1;
    fs.writeFileSync(path.join(d, 'c.bin'), changed);
    await expect(read(EncryptedMedia.open(path.join(d, 'c.bin'), key).stream(0, plain.length - 1))).rejects.toThrow(
      /does not decrypt/,
    );
    // Cut short: refused at once.
    fs.writeFileSync(path.join(d, 't.bin'), enc.subarray(0, enc.length - 10));
    expect(() => EncryptedMedia.open(path.join(d, 't.bin'), key)).toThrow(/shorter or longer than it says/);
    // Another library's key: refused.
    expect(() =>
      EncryptedMedia.open(path.join(d, 'e.bin'), mediaKey(Buffer.alloc(32, 2))).read(Buffer.alloc(4), 0),
    ).toThrow(/does not decrypt/);
  });
});

describe('a protected library’s recordings', () => {
  it('are encrypted on protect and on import, and still play (Range), cut and decode; unprotect restores them', async () => {
    const data = dir();
    const files = dir();
    const original = copyMedia(mediaFile('av.mp4'), files, 'kamera ø.mp4');
    let core = createCore({ dataDir: data });
    const c = core.library.createCase({ code: 'C-MEDIA', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    const copied = await core.imports.importOne(s.id, original, { offsetMs: 0, copy: true });
    core.close();

    await protectLibrary(data, PASS);
    const state = protectionState(data);
    if (!state.protected || !state.keyFile) throw new Error('not protected');
    const key = await unwrapKey(state.keyFile, PASS);
    const plainBytes = fs.readFileSync(original);
    expect(isEncryptedMedia(copied.path)).toBe(true);
    expect(fs.readFileSync(copied.path).includes(plainBytes.subarray(4096, 4160))).toBe(false);

    core = createCore({ dataDir: data, key });
    cleanups.push(() => core.close());
    // The library sees it as the recording it is (ready, not "changed").
    expect(core.library.sessionDetail(s.id).recordings[0]).toMatchObject({ state: 'ready' });
    // The media route serves plain bytes, by range.
    const plan = planMedia(core.library, String(copied.id), 'bytes=1000-70999');
    expect(plan.status).toBe(206);
    expect(plan.headers['Content-Range']).toBe(`bytes 1000-70999/${plainBytes.length}`);
    if (typeof plan.body === 'string') throw new Error(plan.body);
    expect((await read(mediaStream(plan.body))).equals(plainBytes.subarray(1000, 71000))).toBe(true);
    closePlan(planMedia(core.library, String(copied.id), undefined));

    // ffmpeg reads it through the loopback address (it seeks there as in a file): a clip cuts.
    const input = await ffmpegInput(copied.path);
    // What stands in ffmpeg's arguments (which other local users can read) names no file and no
    // port, and opens nothing alone: the loopback server is ffmpeg's proxy, and its password
    // travels in ffmpeg's environment (readable by this user only).
    expect(input).toMatch(/^http:\/\/alliance-review\.invalid\/[0-9a-f]{48}\/media\.mp4$/);
    expect(input).not.toContain(path.parse(copied.path).name);
    expect(input).not.toContain(path.parse(copied.fileName).name);
    const proxy = new URL(mediaToolEnv().http_proxy!);
    expect(input).not.toContain(proxy.password);
    expect(input).not.toContain(proxy.port);
    const viaProxy = (auth: boolean) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: Number(proxy.port),
            path: input,
            headers: {
              Range: 'bytes=0-99',
              ...(auth
                ? { 'Proxy-Authorization': `Basic ${Buffer.from(`ar:${proxy.password}`).toString('base64')}` }
                : {}),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await viaProxy(false)).toBe(407); // knowing the address is not enough
    expect(await viaProxy(true)).toBe(206);

    const out = path.join(files, 'clip.mp4');
    await exportClip(core, { sessionId: s.id, fromMs: 2000, toMs: 3000, out }, 'all');
    // From the app, a clip or playlist without a place of the user's would go into the library's
    // exports folder, unencrypted: refused, saying what to do; nothing is written there.
    expect(() => core.clips.start({ sessionId: s.id, fromMs: 2000, toMs: 3000 }, 'all')).toThrow(
      /protected with a passphrase, and a clip in its exports folder would lie there unencrypted\. Type where to save it/,
    );
    expect(fs.existsSync(path.join(data, 'exports'))).toBe(false);
    const seconds = Number(
      execFileSync(ffprobePath(), [
        '-v',
        'error',
        '-show_entries',
        'format=duration',
        '-of',
        'csv=p=0',
        out,
      ]).toString(),
    );
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(1.2);

    // A recording imported into the protected library is encrypted as it is copied, with its waveform.
    const s2 = core.library.createSession({ caseId: c.id, number: 2, date: null, modality: '', notes: '' });
    const second = await core.imports.importOne(s2.id, copyMedia(mediaFile('av.mp4'), files, 'zwei.mp4'), {
      offsetMs: 0,
      copy: true,
    });
    expect(isEncryptedMedia(second.path)).toBe(true);
    // Its name in the library's folder carries neither the case code nor the original file name.
    expect(path.relative(data, second.path)).toMatch(/^media[/\\][0-9a-f]{24}\.mp4$/);
    expect(second.peaks.length).toBeGreaterThan(0);
    core.close();
    // Locked (closed): the address answers nothing (before, it served the decrypted recording on).
    expect(await viaProxy(true)).toBe(404);

    // Unprotecting decrypts them: byte for byte the originals again.
    await unprotectLibrary(data, PASS);
    expect(isEncryptedMedia(copied.path)).toBe(false);
    expect(fs.readFileSync(copied.path).equals(plainBytes)).toBe(true);
    expect(fs.readFileSync(second.path).equals(plainBytes)).toBe(true);
  });

  it('travel in a package as the recordings they are, and land encrypted in a protected observer’s library', async () => {
    const sup = dir();
    const obs = dir();
    const files = dir();
    const original = copyMedia(mediaFile('session.webm'), files, 'sitzung.webm');
    const core = createCore({ dataDir: sup });
    const c = core.library.createCase({ code: 'C-PKG', therapist: '', notes: '' });
    const s = core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' });
    await core.imports.importOne(s.id, original, { offsetMs: 0, copy: true });
    core.raters.create('Observer Ö', 'observer');
    core.close();
    await protectLibrary(sup, PASS);
    createCore({ dataDir: obs }).close();
    await protectLibrary(obs, 'observer passphrase');
    const pkg = path.join(files, 'p.arpkg');
    const env = { ALLIANCE_REVIEW_PACKAGE_PASSPHRASE: 'package passphrase', ALLIANCE_REVIEW_PASSPHRASE: PASS };
    const args = [
      'package',
      'export',
      '--sessions',
      String(s.id),
      '--rater',
      'Observer Ö',
      '--out',
      pkg,
      '--include-media',
    ];
    const exported = await cliIn(sup, args, env);
    expect(exported.code).toBe(0);
    const opened = await cliIn(obs, ['package', 'open', pkg, '--json'], {
      ...env,
      ALLIANCE_REVIEW_PASSPHRASE: 'observer passphrase',
    });
    expect(opened.code).toBe(0);
    const media = path.join(obs, 'media');
    const placed = fs.readdirSync(media, { recursive: true, withFileTypes: true }).find((e) => e.isFile())!;
    const file = path.join(placed.parentPath, placed.name);
    expect(isEncryptedMedia(file)).toBe(true);
    const state = protectionState(obs);
    if (!state.protected || !state.keyFile) throw new Error('not protected');
    const m = EncryptedMedia.open(file, mediaKey(await unwrapKey(state.keyFile, 'observer passphrase')));
    expect((await read(m.stream(0, m.plainBytes - 1))).equals(fs.readFileSync(original))).toBe(true);
  });
});
