/**
 * `clip SESSION_ID (--segment ID | --from T --to T) [--pad S] [--audio-only] [--blur] [--timecode]
 * [--pitch] [--label TEXT] [--out FILE]`: a teaching clip cut by the bundled ffmpeg. Ctrl+C
 * cancels and leaves no partial file.
 */
import path from 'node:path';
import type { Core } from '../app';
import { exportClip } from './clips';
import { AppError } from '../../shared/errors';
import { padOption, untilInterrupted } from '../../cli/interrupt';
import { formatTime, parseTime } from '../../shared/time';

export interface ClipValues {
  segment?: string;
  from?: string;
  to?: string;
  pad?: string;
  'audio-only'?: boolean;
  blur?: boolean;
  timecode?: boolean;
  pitch?: boolean;
  label?: string;
  out?: string;
  json?: boolean;
}

const USE =
  'Use: alliance-review clip SESSION_ID (--segment ID | --from TIME --to TIME) [--pad SECONDS] [--audio-only] [--blur] [--timecode] [--pitch] [--out FILE].';

export async function clipCommand(
  core: Core,
  args: string[],
  values: ClipValues,
  io: {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    progress: (fraction: number, done?: boolean) => void;
  },
): Promise<number> {
  const sessionId = Number(args[0]);
  if (!Number.isInteger(sessionId) || sessionId < 1) throw new AppError('INVALID_INPUT', USE);
  const time = (v: string | undefined, what: string) => {
    if (v === undefined) return undefined;
    const ms = parseTime(v);
    if (ms === null)
      throw new AppError('INVALID_INPUT', `${what} must be a time in seconds or hh:mm:ss.mmm, not "${v}".`);
    return ms;
  };
  const segmentId = values.segment === undefined ? undefined : Number(values.segment);
  if (segmentId !== undefined && (!Number.isInteger(segmentId) || segmentId < 1))
    throw new AppError('INVALID_INPUT', `--segment must be a segment id, not "${values.segment}".`);
  const fromMs = time(values.from, '--from');
  const toMs = time(values.to, '--to');
  if (segmentId === undefined && (fromMs === undefined || toMs === undefined)) throw new AppError('INVALID_INPUT', USE);
  const padMs = padOption(values.pad, 0);
  const detail = core.library.sessionDetail(sessionId);
  const out =
    values.out ??
    `${detail.case.code}-s${detail.session.number}-${formatTime(fromMs ?? core.annotations.list(sessionId).segments.find((s) => s.id === segmentId)?.startMs ?? 0, false).replace(/:/g, '-')}.mp4`;
  const res = await untilInterrupted((signal) =>
    exportClip(
      core,
      {
        sessionId,
        segmentId,
        fromMs,
        toMs,
        padMs,
        audioOnly: values['audio-only'],
        blur: values.blur,
        timecode: values.timecode,
        pitch: values.pitch,
        label: values.label,
        out,
      },
      'all',
      { signal, onProgress: (f) => io.progress(f) },
    ),
  );
  io.progress(1, true);
  if (values.json) io.stdout(`${JSON.stringify(res, null, 2)}\n`);
  else
    io.stdout(
      `Wrote ${path.relative(process.cwd(), res.out) || res.out} (${formatTime(res.fromMs)}–${formatTime(res.toMs)} from ${res.recording}, ${(res.bytes / 1e6).toFixed(1)} MB).\n`,
    );
  return 0;
}
