/**
 * A playlist of marked moments (segments and feedback comments, in the order given) for teaching:
 * one MP4 with a title card before each moment (one ffmpeg run, the concat filter, so every part
 * matches), or a folder of clips with an index. Like a single clip, nothing appears until it is
 * whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { checkOutput, checkOutputFolder } from '../files/output';
import { formatTime } from '../../shared/time';
import { csvRow } from '../../shared/csv';
import { drawTextFile, runFfmpeg } from '../media/ffmpeg-run';
import { privateTemp } from '../files/private-temp';
import { exportClip, planClip, type ClipDeps } from './clips';
import type { Viewer } from '../rpc/policy';
import { ffmpegInput } from '../protection/media-crypt';

export type PlaylistItem = { segmentId: number } | { threadId: number };

export interface PlaylistRequest {
  sessionId: number;
  items: PlaylistItem[];
  padMs?: number;
  blur?: boolean;
  pitch?: boolean;
  /** One MP4 with title cards, or (folder) a directory of clips with index.csv. */
  out: string;
  folder?: boolean;
}

const CARD_S = 2;

/** What each moment is, in the words of its title card. */
function describe(core: ClipDeps, item: PlaylistItem, viewer: Viewer | 'all') {
  if ('segmentId' in item) {
    const s = core.policy.segmentForRead(item.segmentId, viewer);
    const codes = core.annotations.codebook().definition.codes;
    const label = s.codes.map((c) => `${c} ${codes.find((x) => x.key === c)?.label ?? ''}`.trim()).join(', ') || s.kind;
    return {
      sessionId: s.sessionId,
      startMs: s.startMs,
      title: `${formatTime(s.startMs, false)} · ${s.kind}: ${label}`,
    };
  }
  const t = core.feedback.getThread(item.threadId, viewer);
  const text = t.text.length > 60 ? `${t.text.slice(0, 57)}…` : t.text;
  return {
    sessionId: t.sessionId,
    startMs: t.startMs,
    title: `${formatTime(t.startMs, false)} · ${t.label ?? 'comment'}: ${text}`,
  };
}

/** Refuses at once what a playlist cannot hold: a moment the viewer may not see, or from another session. */
export function checkPlaylist(
  core: ClipDeps,
  req: Pick<PlaylistRequest, 'sessionId' | 'items'>,
  viewer: Viewer | 'all',
) {
  core.library.getSession(req.sessionId);
  if (!req.items.length) throw new AppError('INVALID_INPUT', 'A playlist needs at least one segment or comment.');
  const moments = req.items.map((item) => ({ item, ...describe(core, item, viewer) }));
  if (moments.some((m) => m.sessionId !== req.sessionId))
    throw new AppError('INVALID_INPUT', 'Every moment of a playlist comes from the same session.');
  return moments;
}

export async function exportPlaylist(
  core: ClipDeps,
  req: PlaylistRequest,
  viewer: Viewer | 'all',
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<{ out: string; items: number; bytes: number }> {
  const moments = checkPlaylist(core, req, viewer);
  const out = path.resolve(req.out);
  const parent = path.dirname(out);
  if (!fs.existsSync(parent)) throw new AppError('INVALID_INPUT', `The folder ${parent} does not exist.`);
  if (req.folder) {
    checkOutputFolder(out, { what: "the playlist's clips", dataDir: core.dataDir });
    return folderPlaylist(core, req, moments, out, viewer, opts);
  }
  checkOutput(out, { what: 'the playlist', dataDir: core.dataDir });

  const tmp = path.join(parent, `.${path.basename(out)}.${process.pid}.part.mp4`);
  const plans = moments.map((m) =>
    planClip(
      core,
      { sessionId: req.sessionId, ...m.item, padMs: req.padMs, blur: req.blur, pitch: req.pitch, out: tmp },
      viewer,
      tmp,
    ),
  );
  const rec = plans[0]!.recording;
  if (plans.some((p) => p.recording.id !== rec.id))
    throw new AppError(
      'INVALID_INPUT',
      'The moments come from different recordings; export them as a folder of clips.',
    );
  if (!rec.hasVideo)
    throw new AppError('INVALID_INPUT', 'The recording has no picture for title cards; export a folder of clips.');
  const video = rec.probe.streams.find((s) => s.kind === 'video');
  const w = Math.max(2, Math.floor((video?.width ?? 640) / 2) * 2);
  const h = Math.max(2, Math.floor((video?.height ?? 360) / 2) * 2);
  const fps = video?.fps ?? 25;
  const audio = rec.hasAudio;
  const args = ['-nostdin', '-v', 'error', '-y'];
  const filters: string[] = [];
  const parts: string[] = [];
  // Card texts go through files (drawTextFile) in a private folder that is ffmpeg's working
  // folder: a comment's words never become filter syntax, and never lie in the shared temp folder.
  const work = privateTemp(core.dataDir, 'cards');
  const cards = work.dir;
  let input = 0;
  let total = 0;
  const recInput = await ffmpegInput(rec.path); // decrypted on the fly for a protected library
  moments.forEach((m, i) => {
    const p = plans[i]!;
    const fileFrom = Math.max(0, p.fromMs - rec.offsetMs);
    const dur = Math.min(rec.durationMs, p.toMs - rec.offsetMs) - fileFrom;
    total += dur + CARD_S * 1000;
    // The title card: dark, the moment's time and what it is.
    const card = input++;
    args.push('-f', 'lavfi', '-t', String(CARD_S), '-i', `color=c=0x1d2126:s=${w}x${h}:r=${fps}`);
    fs.writeFileSync(path.join(cards, `card-${i}.txt`), `${i + 1}/${moments.length}  ${m.title}`);
    filters.push(
      `[${card}:v]drawtext=${drawTextFile(`card-${i}.txt`)}:fontcolor=white:fontsize=h/16:x=(w-tw)/2:y=(h-th)/2,format=yuv420p,setsar=1[c${i}]`,
    );
    let cardAudio = '';
    if (audio) {
      const silence = input++;
      args.push('-f', 'lavfi', '-t', String(CARD_S), '-i', 'anullsrc=r=48000:cl=stereo');
      cardAudio = `[${silence}:a]`;
    }
    const clip = input++;
    args.push('-ss', (fileFrom / 1000).toFixed(3), '-t', (dur / 1000).toFixed(3), '-i', recInput);
    const pixelate = req.blur ? `scale=trunc(iw/24/2)*2:trunc(ih/24/2)*2,scale=${w}:${h}:flags=neighbor,` : '';
    filters.push(`[${clip}:v]${pixelate}scale=${w}:${h},fps=${fps},format=yuv420p,setsar=1[v${i}]`);
    if (audio) {
      filters.push(
        `[${clip}:a]aresample=48000,aformat=channel_layouts=stereo${req.pitch ? ',rubberband=pitch=0.82' : ''}[a${i}]`,
      );
      parts.push(`[c${i}]${cardAudio}[v${i}][a${i}]`);
    } else parts.push(`[c${i}][v${i}]`);
  });
  filters.push(`${parts.join('')}concat=n=${moments.length * 2}:v=1:a=${audio ? 1 : 0}${audio ? '[v][a]' : '[v]'}`);
  args.push('-filter_complex', filters.join(';'), '-map', '[v]');
  if (audio) args.push('-map', '[a]', '-c:a', 'aac', '-b:a', '128k');
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-movflags', '+faststart', '-f', 'mp4', tmp);
  try {
    await runFfmpeg(args, total, { what: 'The playlist' }, { ...opts, cwd: cards });
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  } finally {
    work.remove();
  }
  return { out, items: moments.length, bytes: fs.statSync(out).size };
}

async function folderPlaylist(
  core: ClipDeps,
  req: PlaylistRequest,
  moments: (ReturnType<typeof describe> & { item: PlaylistItem })[],
  out: string,
  viewer: Viewer | 'all',
  opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void },
) {
  if (fs.existsSync(out)) throw new AppError('DUPLICATE', `${out} already exists; choose a new folder name.`);
  const tmp = `${out}.${process.pid}.part`;
  fs.mkdirSync(tmp);
  try {
    const rows = ['number,start,title,file'];
    for (const [i, m] of moments.entries()) {
      const file = `${String(i + 1).padStart(2, '0')} ${formatTime(m.startMs, false).replace(/:/g, '-')}.mp4`;
      await exportClip(
        core,
        {
          sessionId: req.sessionId,
          ...m.item,
          padMs: req.padMs,
          blur: req.blur,
          pitch: req.pitch,
          timecode: true,
          out: path.join(tmp, file),
        },
        viewer,
        { signal: opts.signal, onProgress: (f) => opts.onProgress?.((i + f) / moments.length) },
      );
      rows.push(csvRow([i + 1, formatTime(m.startMs), m.title, file]));
    }
    fs.writeFileSync(path.join(tmp, 'index.csv'), `${rows.join('\n')}\n`);
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  const bytes = fs.readdirSync(out).reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
  return { out, items: moments.length, bytes };
}
