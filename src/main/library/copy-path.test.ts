import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/tmp';
import { copyTarget } from './copy-path';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('where a copied recording goes (a plain library)', () => {
  it('under its case and session, by a name every system takes, never outside the media folder', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const media = path.join(dir, 'media');
    expect(path.relative(media, copyTarget(media, 'C-1', 2, 'kamera ø.mp4'))).toBe(
      path.join('C-1', 'session-2', 'kamera ø.mp4'),
    );
    expect(path.basename(copyTarget(media, 'C-1', 2, 'a:b?.mp4'))).toBe('a_b_.mp4');
    for (const hostile of ['..', '../../x.mp4', '..\\..\\x.mp4', 'x\u0000.mp4', '']) {
      const target = copyTarget(media, 'C-1', 2, hostile);
      expect(path.relative(path.join(media, 'C-1', 'session-2'), path.dirname(target))).toBe('');
    }
    // A name already taken gets a number.
    const first = copyTarget(media, 'C-1', 2, 'a.mp4');
    fs.mkdirSync(path.dirname(first), { recursive: true });
    fs.writeFileSync(first, '');
    expect(path.basename(copyTarget(media, 'C-1', 2, 'a.mp4'))).toBe('a (2).mp4');
  });
});
