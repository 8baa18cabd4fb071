/**
 * Where a recording copied into the library's folder goes (an import with "copy", a package's
 * included recording). A plain library keeps it readable for people: media/<case>/session-<n>/
 * <its file name>. A protected library names nothing: media/<random>.<ext>, so that neither the
 * case code nor the original file name (which often carries a client's name) stands in a folder
 * or file name; both stay inside the encrypted database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isProtectedLibrary } from '../protection/media-crypt';

export function copyTarget(mediaDir: string, caseCode: string, sessionNumber: number, fileName: string): string {
  const ext = path
    .extname(fileName)
    .replace(/[^.A-Za-z0-9]/g, '')
    .slice(0, 10);
  if (isProtectedLibrary(path.dirname(mediaDir))) {
    for (;;) {
      const target = path.join(mediaDir, `${randomBytes(12).toString('hex')}${ext}`);
      if (!fs.existsSync(target)) return target;
    }
  }
  const dir = path.join(mediaDir, caseCode.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'case', `session-${sessionNumber}`);
  // A name as every system takes it (a package may come from another one): no separator, no
  // character Windows refuses, no "." or ".." of its own.
  const replaced = [...fileName].map((ch) => (/[<>:"|?*\\/]/.test(ch) || ch.charCodeAt(0) < 0x20 ? '_' : ch)).join('');
  const plain = replaced.replace(/^\.+$/, '_') || 'recording';
  const stem = path.basename(plain, path.extname(plain));
  for (let n = 1; ; n++) {
    const target = path.join(dir, n === 1 ? plain : `${stem} (${n})${path.extname(plain)}`);
    if (!fs.existsSync(target)) return target;
  }
}
