/**
 * Teaching clips: a stretch of a session (a segment, a comment's span, or times) cut from its main
 * recording as an MP4 (H.264/AAC) by the bundled ffmpeg, optionally audio only, with the picture
 * pixelated, the session time and a label burned in, or the voice pitch-shifted. Times are on the
 * session's clock. The file appears only when whole: ffmpeg writes beside it and the result is
 * renamed into place; a failure or a cancel removes the partial file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Recording } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { heardByDefault } from '../../shared/heard';
import { formatTime } from '../../shared/time';
import type { AnnotationService } from '../coding/annotations';
import type { SegmentService } from '../coding/segments';
import type { FeedbackService } from '../feedback/feedback';
import type { LibraryService } from '../library/library';
import type { Policy } from '../rpc/policy';
import { drawTextFile, runFfmpeg } from '../media/ffmpeg-run';
import { privateTemp } from '../files/private-temp';
import { checkOutput } from '../files/output';
import type { Viewer } from '../rpc/policy';
import { ffmpegInput } from '../protection/media-crypt';

export interface ClipRequest {
  sessionId: number;
  /** A segment's span (the viewer must be allowed to see it), or `fromMs`/`toMs`. */
  segmentId?: number;
  threadId?: number;
  fromMs?: number;
  toMs?: number;
  /** Context before and after, in ms. */
  padMs?: number;
  audioOnly?: boolean;
  /** Pixelate the picture (faces unrecognisable; movement and posture still visible). */
  blur?: boolean;
  /** Burn in the session time and a label (the segment's codes, or `label`). */
  timecode?: boolean;
  label?: string;
  /** Shift the voice's pitch (de-identification) without changing its tempo. */
  pitch?: boolean;
  out: string;
}

export interface ClipResult {
  out: string;
  fromMs: number;
  toMs: number;
  recording: string;
  /** Where the sound came from (the recording heard by default, when it covers the clip); null: no sound. */
  audio: string | null;
  bytes: number;
}

export interface ClipPlan {
  recording: Recording;
  /** The recording the sound is taken from (the picture's own, or a separate recorder). */
  audio: Recording | null;
  fromMs: number;
  toMs: number;
  args: string[];
  /** Text files ffmpeg draws from (name → text), written into its private working folder. */
  texts: Record<string, string>;
}

/** Works out what to cut and the ffmpeg arguments (pure apart from reading the library). */
/**
 * What clips and playlists need of the other rooms, named (the assembled core has all of it).
 */
export interface ClipDeps {
  dataDir: string;
  library: LibraryService;
  policy: Policy;
  feedback: FeedbackService;
  segments: SegmentService;
  annotations: AnnotationService;
}

export function planClip(core: ClipDeps, req: ClipRequest, viewer: Viewer | 'all', tmpOut: string): ClipPlan {
  const detail = core.library.sessionDetail(req.sessionId);
  let from = req.fromMs;
  let to = req.toMs;
  let label = req.label ?? '';
  if (label.length > 120)
    throw new AppError('INVALID_INPUT', 'A clip’s label has at most 120 characters: it is drawn into the picture.');
  if (req.segmentId !== undefined) {
    const seg = core.policy.segmentForRead(req.segmentId, viewer);
    if (seg.sessionId !== req.sessionId)
      throw new AppError('INVALID_INPUT', 'That segment belongs to another session.');
    from = seg.startMs;
    to = seg.endMs;
    label ||= seg.codes.join('+') || seg.kind;
  } else if (req.threadId !== undefined) {
    const t = core.feedback.getThread(req.threadId, viewer);
    if (t.sessionId !== req.sessionId) throw new AppError('INVALID_INPUT', 'That comment belongs to another session.');
    from = t.startMs;
    to = t.endMs;
    label ||= t.label ?? 'comment';
  }
  if (from === undefined || to === undefined)
    throw new AppError('INVALID_INPUT', 'Say what to cut: a segment, or a start and an end time.');
  const duration = core.segments.sessionDurationMs(req.sessionId);
  const pad = Math.max(0, req.padMs ?? 0);
  const fromMs = Math.max(0, from - pad);
  const toMs = Math.min(duration, Math.max(to, from + 1000) + pad);
  if (from < 0 || from >= duration)
    throw new AppError(
      'INVALID_INPUT',
      `The clip starts at ${formatTime(from)}, outside the session (0 to ${formatTime(duration)}).`,
    );
  if (to < from) throw new AppError('INVALID_INPUT', 'The end of the clip must come after its start.');
  if (to > duration)
    throw new AppError(
      'INVALID_INPUT',
      `The clip ends at ${formatTime(to)}, after the end of the session (${formatTime(duration)}).`,
    );
  // The main recording: the first with a picture (unless only sound is wanted), else the first with sound.
  const usable = detail.recordings.filter((r) => r.state === 'ready' && r.path);
  const wantsPicture = !req.audioOnly;
  // The sound: the recording heard by default (a stereo recorder over a camera's microphone) when
  // it covers the whole clip, else the picture's own.
  const covers = (r: Recording) => r.offsetMs <= fromMs && r.offsetMs + r.durationMs >= toMs;
  const heardId = heardByDefault(usable, usable.find((r) => r.hasVideo)?.id ?? null);
  const heard = usable.find((r) => r.id === heardId && covers(r));
  const rec =
    (wantsPicture
      ? (usable.find((r) => r.hasVideo && r.offsetMs <= fromMs) ?? usable.find((r) => r.hasVideo))
      : undefined) ??
    heard ??
    usable.find((r) => r.hasAudio);
  if (!rec) {
    const missing = detail.recordings.find((r) => r.state !== 'ready');
    throw new AppError(
      'FILE_MISSING',
      missing
        ? `${missing.fileName} is not where it was (${missing.state}). Relink it in the library, then cut the clip again.`
        : 'This session has no recording to cut a clip from.',
    );
  }
  const audio = heard ?? (rec.hasAudio ? rec : null);
  if (req.audioOnly && !audio) throw new AppError('INVALID_INPUT', 'This recording has no sound.');
  // From the session's clock to the file's.
  const fileFrom = Math.max(0, fromMs - rec.offsetMs);
  const fileTo = Math.min(rec.durationMs, toMs - rec.offsetMs);
  if (fileTo <= fileFrom)
    throw new AppError('INVALID_INPUT', `${rec.fileName} does not cover ${formatTime(fromMs)}–${formatTime(toMs)}.`);
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const separate = audio !== null && audio.id !== rec.id;
  const args = ['-nostdin', '-v', 'error', '-y', '-ss', secs(fileFrom), '-i', rec.path];
  // The recorder's own clock: the same session moment, from its offset.
  if (separate) args.push('-ss', secs(Math.max(0, fileFrom + rec.offsetMs - audio.offsetMs)), '-i', audio.path);
  args.push('-t', secs(fileTo - fileFrom));
  const video = !req.audioOnly && rec.hasVideo;
  const vf: string[] = [];
  const texts: Record<string, string> = {};
  if (video) {
    if (req.blur) vf.push('scale=trunc(iw/24/2)*2:trunc(ih/24/2)*2', 'scale=iw*24:ih*24:flags=neighbor');
    vf.push('scale=trunc(iw/2)*2:trunc(ih/2)*2'); // H.264 in yuv420p needs even sizes
    if (req.timecode) {
      const at = (fileFrom + rec.offsetMs) / 1000; // a number: the only value written into the graph
      const look = 'fontsize=h/18:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6';
      vf.push(`drawtext=text='%{pts\\:hms\\:${at.toFixed(3)}}':x=12:y=h-th-12:${look}`);
      if (label) {
        // The label, top left, from a file: never filter syntax (drawTextFile).
        texts['label.txt'] = label;
        vf.push(`drawtext=${drawTextFile('label.txt')}:x=12:y=12:${look}`);
      }
    }
    args.push(
      '-map',
      '0:v:0',
      '-vf',
      vf.join(','),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '23',
      '-pix_fmt',
      'yuv420p',
    );
  } else {
    args.push('-vn');
  }
  if (audio) {
    args.push('-map', separate ? '1:a:0' : '0:a:0', '-c:a', 'aac', '-b:a', '128k');
    if (req.pitch) args.push('-af', 'rubberband=pitch=0.82');
  }
  args.push('-movflags', '+faststart', '-f', 'mp4', tmpOut);
  return { recording: rec, audio, fromMs, toMs, args, texts };
}

/** Cuts the clip; `onProgress` gets 0–1; `signal` cancels (and removes the partial file). */
export async function exportClip(
  core: ClipDeps,
  req: ClipRequest,
  viewer: Viewer | 'all',
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<ClipResult> {
  const out = path.resolve(req.out);
  const dir = path.dirname(out);
  // Never over the library's files, never over a pipe or device: a video is written to a file.
  checkOutput(out, { what: 'the clip', dataDir: core.dataDir });
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.part.mp4`);
  const plan = planClip(core, req, viewer, tmp);
  // A protected library's copy is read through the decrypting loopback address.
  // A protected library's copies are read through the decrypting loopback address.
  const inputs = new Map<string, string>();
  for (const r of [plan.recording, plan.audio]) if (r) inputs.set(r.path, await ffmpegInput(r.path));
  plan.args = plan.args.map((a) => inputs.get(a) ?? a);
  const total = plan.toMs - plan.fromMs;
  const work = privateTemp(core.dataDir, 'clip');
  for (const [name, text] of Object.entries(plan.texts)) fs.writeFileSync(path.join(work.dir, name), text);
  try {
    await runFfmpeg(
      plan.args,
      total,
      {
        what: 'The clip',
        explain: (stderr) =>
          /drawtext|font/i.test(stderr)
            ? new AppError(
                'INVALID_INPUT',
                'The time and label could not be drawn (no font found). Cut the clip without --timecode.',
              )
            : new AppError(
                'MEDIA_CORRUPT',
                `${plan.recording.fileName} could not be cut there: ${stderr.trim().split('\n').at(-1) ?? 'ffmpeg failed'}`,
              ),
      },
      { ...opts, cwd: work.dir },
    );
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  } finally {
    work.remove();
  }
  opts.onProgress?.(1);
  return {
    out,
    fromMs: plan.fromMs,
    toMs: plan.toMs,
    recording: plan.recording.fileName,
    audio: plan.audio?.fileName ?? null,
    bytes: fs.statSync(out).size,
  };
}
