/**
 * Files that are not a library, and key files or packages that ask for impossible key settings,
 * are called what they are: never "encrypted but its key file is missing", never "malloc failure".
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliIn } from '../../../tests/support/cli';
import { mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { createCore } from '../app';
import { DB_FILE, KEY_FILE } from '../db/open';
import { writeSealed, readSealed } from '../packages/sealed-file';
import { protectLibrary } from './library-key';

const PASS = 'a passphrase long enough';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const d = tempDir();
  cleanups.push(d.cleanup);
  return d.dir;
}

describe('a file that is not a library', () => {
  it.each([
    ['random bytes', () => randomBytes(10_000), /is not an Alliance Review library: it is not a database/],
    ['a video', () => fs.readFileSync(mediaFile('av.mp4')), /it is a video or audio file \(MP4, MOV or M4A\)/],
    ['a text file', () => Buffer.from('session,rater\n1,A\n'), /it is a text file/],
  ])('%s in place of the library is called that, and left as it was', async (_, bytes, words) => {
    const d = dir();
    const content = bytes();
    fs.writeFileSync(path.join(d, DB_FILE), content);
    const r = await cliIn(d, ['cases']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(words);
    expect(r.stderr).not.toMatch(/key file/);
    expect(() => createCore({ dataDir: d })).toThrow(words);
    expect(fs.readFileSync(path.join(d, DB_FILE)).equals(content)).toBe(true);
  });
});

describe('key settings a file asks for', () => {
  it('a key file asking scrypt for gigabytes is called damaged, not tried', async () => {
    const d = dir();
    createCore({ dataDir: d }).close();
    await protectLibrary(d, PASS);
    const keyFile = path.join(d, KEY_FILE);
    const k = JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { kdf: { N: number; r: number } };
    for (const kdf of [{ N: 2 ** 30 }, { r: 1024 }, { N: 2 }, { N: 3 ** 10 }]) {
      fs.writeFileSync(keyFile, JSON.stringify({ ...k, kdf: { ...k.kdf, ...kdf } }));
      const r = await cliIn(d, ['cases'], { ALLIANCE_REVIEW_PASSPHRASE: PASS });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/key file .* is damaged/);
      expect(r.stderr).not.toMatch(/malloc/);
    }
  });

  it('a package asking scrypt for gigabytes is refused before deriving', async () => {
    const d = dir();
    const file = path.join(d, 'p.arpkg');
    await writeSealed(file, PASS, 'rating-package', { packageId: 'x' }, [{ bytes: Buffer.from('{}') }]);
    // The header is JSON in the clear after the magic and its length: ask for N = 2^30.
    const bytes = fs.readFileSync(file);
    const len = bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + len).toString('utf8')) as { kdf: { N: number } };
    header.kdf.N = 2 ** 30;
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const newLen = Buffer.alloc(4);
    newLen.writeUInt32BE(json.length);
    fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, 8), newLen, json, bytes.subarray(12 + len)]));
    await expect(readSealed(file, PASS, () => undefined)).rejects.toThrow(
      /asks for key derivation this version does not do/,
    );
  });
});
