import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { readSealed, readSealedHeader, writeSealed } from './sealed-file';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir() {
  const d = tempDir();
  cleanups.push(d.cleanup);
  return d.dir;
}
async function open(file: string, passphrase: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readSealed(file, passphrase, (b) => void parts.push(b));
  return Buffer.concat(parts);
}

describe('sealed files (AES-256-GCM, scrypt)', () => {
  it('round-trips buffers and files over several chunks, and says only ids in the clear', async () => {
    const d = dir();
    const media = path.join(d, 'media.bin');
    const bytes = Buffer.alloc(2.5 * (1 << 20));
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(media, bytes);
    const out = path.join(d, 'p.arpkg');
    const progress: number[] = [];
    await writeSealed(
      out,
      'correct horse',
      'rating-package',
      { packageId: 'p-1' },
      [{ bytes: Buffer.from('{"patient":"C-001"}') }, { file: media, size: bytes.length }],
      { onProgress: (done) => progress.push(done) },
    );
    const { header } = readSealedHeader(out);
    expect(header).toMatchObject({ kind: 'rating-package', meta: { packageId: 'p-1' }, chunks: 3 });
    expect(fs.readFileSync(out).includes(Buffer.from('C-001'))).toBe(false);
    expect(progress[progress.length - 1]).toBe(bytes.length + 19);
    const plain = await open(out, 'correct horse');
    expect(plain.subarray(0, 19).toString()).toBe('{"patient":"C-001"}');
    expect(plain.subarray(19).equals(bytes)).toBe(true);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(fs.statSync(out).mode & 0o077).toBe(0);
  });

  it('refuses to be written over a pipe or a device (it would put a plain file in its place) or a folder', async () => {
    const d = dir();
    const fifo = path.join(d, 'p.fifo');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      await expect(
        writeSealed(fifo, 'pass phrase', 'rating-package', { packageId: 'p' }, [{ bytes: Buffer.from('x') }]),
      ).rejects.toThrow(`${fifo} is not a plain file; a package is written to a file.`);
      expect(fs.statSync(fifo).isFIFO()).toBe(true);
    }
    await expect(
      writeSealed(d, 'pass phrase', 'rating-package', { packageId: 'p' }, [{ bytes: Buffer.from('x') }]),
    ).rejects.toThrow(`${d} is a folder; give a file name for a package.`);
  });

  it('tells a wrong passphrase, a truncated file, a changed byte, a changed header and a stranger apart', async () => {
    const d = dir();
    const out = path.join(d, 'p.arpkg');
    await writeSealed(out, 'pass phrase', 'return-package', { packageId: 'r-1' }, [
      { bytes: Buffer.alloc(3 * (1 << 20) + 5, 1) },
    ]);
    await expect(open(out, 'pass phrase!')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const whole = fs.readFileSync(out);
    const cut = path.join(d, 'cut.arpkg');
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 1000));
    await expect(open(cut, 'pass phrase')).rejects.toThrow(/is truncated/);
    // One byte of the last chunk flipped: the first three chunks come, then its tag fails.
    const flipped = Buffer.from(whole);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 10) ^ 1, flipped.length - 10);
    const changed = path.join(d, 'changed.arpkg');
    fs.writeFileSync(changed, flipped);
    const seen: number[] = [];
    await expect(readSealed(changed, 'pass phrase', (b) => void seen.push(b.length))).rejects.toThrow(
      /was changed or damaged after it was sealed \(part 4 of 4\)/,
    );
    expect(seen).toEqual([1 << 20, 1 << 20, 1 << 20]);
    // The header is authenticated too: a package id changed in the clear is caught.
    const relabelled = path.join(d, 'relabelled.arpkg');
    fs.writeFileSync(relabelled, Buffer.from(whole.toString('latin1').replace('"r-1"', '"r-2"'), 'latin1'));
    await expect(open(relabelled, 'pass phrase')).rejects.toThrow(/changed or damaged/);
    const text = path.join(d, 'notes.txt');
    fs.writeFileSync(text, 'hello');
    await expect(open(text, 'pass phrase')).rejects.toThrow(/is not an Alliance Review package/);
    await expect(open(path.join(d, 'none.arpkg'), 'pass phrase')).rejects.toMatchObject({ code: 'FILE_MISSING' });
  });
});
