/**
 * `playlist SESSION_ID --items seg:12,fb:3,… [--pad SECONDS] [--blur] [--pitch] (--out FILE.mp4 |
 * --folder DIR)`: marked moments in order, as one MP4 with title cards or a folder of clips with an
 * index. Ctrl+C cancels and leaves nothing behind.
 */
import type { Core } from '../app';
import { exportPlaylist, type PlaylistItem } from './playlist';
import { AppError } from '../../shared/errors';
import { padOption, untilInterrupted } from '../../cli/interrupt';

export async function playlistCommand(
  core: Core,
  args: string[],
  values: {
    items?: string;
    pad?: string;
    blur?: boolean;
    pitch?: boolean;
    out?: string;
    folder?: string;
    json?: boolean;
  },
  io: { stdout: (s: string) => void; progress: (f: number, done?: boolean) => void },
): Promise<number> {
  const sessionId = Number(args[0]);
  const use =
    'Use: alliance-review playlist SESSION_ID --items seg:ID,fb:ID,… [--pad SECONDS] [--blur] [--pitch] (--out FILE.mp4 | --folder DIR).';
  if (!Number.isInteger(sessionId) || sessionId < 1 || !values.items) throw new AppError('INVALID_INPUT', use);
  const items: PlaylistItem[] = values.items.split(',').map((raw) => {
    const m = /^(seg|fb):(\d+)$/.exec(raw.trim());
    if (!m)
      throw new AppError(
        'INVALID_INPUT',
        `"${raw}" is not an item: write seg:ID for a segment or fb:ID for a comment.`,
      );
    return m[1] === 'seg' ? { segmentId: Number(m[2]) } : { threadId: Number(m[2]) };
  });
  if (!values.out === !values.folder)
    throw new AppError('INVALID_INPUT', `Give either --out FILE.mp4 or --folder DIR. ${use}`);
  const padMs = padOption(values.pad, 1);
  const res = await untilInterrupted((signal) =>
    exportPlaylist(
      core,
      {
        sessionId,
        items,
        padMs,
        blur: values.blur,
        pitch: values.pitch,
        out: (values.out ?? values.folder)!,
        folder: values.folder !== undefined,
      },
      'all',
      { signal, onProgress: (f) => io.progress(f) },
    ),
  );
  io.progress(1, true);
  if (values.json) io.stdout(`${JSON.stringify(res, null, 2)}\n`);
  else
    io.stdout(
      `Wrote ${res.out} (${res.items} moment${res.items === 1 ? '' : 's'}, ${(res.bytes / 1e6).toFixed(1)} MB).\n`,
    );
  return 0;
}
