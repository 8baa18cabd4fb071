/**
 * Teaching clips cut from real (synthetic) media with the bundled ffmpeg: the right stretch on the
 * session's clock, the right streams, options that change the picture and the sound, and nothing
 * left behind by a cancel or a failure.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore } from '../../../tests/support/core';
import { copyMedia, mediaFile } from '../../../tests/support/media';
import { tempDir } from '../../../tests/support/tmp';
import { runCli } from '../../cli/index';
import { ffprobePath } from '../media/binaries';
import { exportClip, planClip } from './clips';
import { exportPlaylist } from './playlist';

let t: ReturnType<typeof testCore>;
let out: ReturnType<typeof tempDir>;
let sessionId: number;

beforeEach(async () => {
  t = testCore();
  out = tempDir('alliance-clips-');
  const c = t.core.library.createCase({ code: 'C-CLIP', therapist: '', notes: '' });
  sessionId = t.core.library.createSession({ caseId: c.id, number: 1, date: null, modality: '', notes: '' }).id;
  // The camera started 1 s into the session: session time = file time + 1 s.
  await t.core.imports.importOne(sessionId, copyMedia(mediaFile('av.mp4'), out.dir, 'kamera ø.mp4'), {
    offsetMs: 1000,
    copy: false,
  });
});
afterEach(() => {
  t.cleanup();
  out.cleanup();
});

function probe(file: string) {
  const json = JSON.parse(
    execFileSync(ffprobePath(), [
      '-v',
      'error',
      '-show_entries',
      'format=duration:stream=codec_type,codec_name',
      '-of',
      'json',
      file,
    ]).toString(),
  ) as { format: { duration: string }; streams: { codec_type: string; codec_name: string }[] };
  return {
    seconds: Number(json.format.duration),
    streams: json.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort(),
  };
}

describe('teaching clips', () => {
  it('cuts a segment with context as H.264/AAC MP4, on the session clock', async () => {
    const rater = t.core.raters.create('Obs', 'observer');
    const seg = t.core.annotations.create({
      sessionId,
      raterId: rater.id,
      kind: 'rupture',
      startMs: 3000,
      endMs: 4000,
      codes: ['W2'],
    });
    const file = path.join(out.dir, 'clip.mp4');
    const progress: number[] = [];
    const res = await exportClip(
      t.core,
      { sessionId, segmentId: seg.id, padMs: 1000, timecode: true, out: file },
      'all',
      {
        onProgress: (f) => progress.push(f),
      },
    );
    expect(res).toMatchObject({ fromMs: 2000, toMs: 5000, recording: 'kamera ø.mp4' });
    const p = probe(file);
    expect(p.streams).toEqual(['audio:aac', 'video:h264']);
    expect(p.seconds).toBeGreaterThan(2.8);
    expect(p.seconds).toBeLessThan(3.3);
    expect(progress.at(-1)).toBe(1);
    expect(fs.readdirSync(out.dir).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('cuts audio only, a pixelated picture, or a pitch-shifted voice', async () => {
    const audio = path.join(out.dir, 'a.mp4');
    await exportClip(t.core, { sessionId, fromMs: 1500, toMs: 3500, audioOnly: true, out: audio }, 'all');
    expect(probe(audio).streams).toEqual(['audio:aac']);
    const blurred = path.join(out.dir, 'b.mp4');
    await exportClip(t.core, { sessionId, fromMs: 1500, toMs: 3500, blur: true, pitch: true, out: blurred }, 'all');
    expect(probe(blurred).streams).toEqual(['audio:aac', 'video:h264']);
    // Pixelated: far fewer bytes for the same picture size and length than the plain cut.
    const plain = path.join(out.dir, 'p.mp4');
    await exportClip(t.core, { sessionId, fromMs: 1500, toMs: 3500, out: plain }, 'all');
    expect(fs.statSync(blurred).size).toBeLessThan(fs.statSync(plain).size * 0.8);
  });

  it('takes the sound from a stereo recorder over the camera’s microphone, on the session clock', async () => {
    // The lavalier recorder started at the session's start; the camera 1 s later.
    await t.core.imports.importOne(sessionId, copyMedia(mediaFile('two-mics.m4a'), out.dir, 'opptak ø.m4a'), {
      offsetMs: 0,
      copy: false,
    });
    const channels = (file: string) =>
      execFileSync(ffprobePath(), [
        '-v',
        'error',
        '-select_streams',
        'a:0',
        '-show_entries',
        'stream=channels',
        '-of',
        'csv=p=0',
        file,
      ])
        .toString()
        .trim();
    const video = path.join(out.dir, 'med opptak.mp4');
    const r = await exportClip(t.core, { sessionId, fromMs: 2000, toMs: 5000, out: video }, 'all');
    expect(r).toMatchObject({ recording: 'kamera ø.mp4', audio: 'opptak ø.m4a' });
    expect(probe(video).streams).toEqual(['audio:aac', 'video:h264']);
    expect(channels(video)).toBe('2');
    const plan = planClip(t.core, { sessionId, fromMs: 2000, toMs: 5000, out: video }, 'all', video);
    // The recorder is read from 2 s of its own (its offset 0), the camera from 1 s of its own.
    expect(plan.args.join(' ')).toMatch(/-ss 1\.000 -i .*kamera ø\.mp4 -ss 2\.000 -i .*opptak ø\.m4a/);
    const sound = path.join(out.dir, 'lyd.mp4');
    const a = await exportClip(t.core, { sessionId, fromMs: 2000, toMs: 5000, audioOnly: true, out: sound }, 'all');
    expect(a).toMatchObject({ recording: 'opptak ø.m4a', audio: 'opptak ø.m4a' });
    expect(channels(sound)).toBe('2');
  });

  it('refuses what cannot be cut with a clear message, and a cancel leaves no file', async () => {
    const file = path.join(out.dir, 'x.mp4');
    await expect(exportClip(t.core, { sessionId, fromMs: 60_000, toMs: 61_000, out: file }, 'all')).rejects.toThrow(
      /starts at 00:01:00.000, outside the session \(0 to 00:00:07.000\)/,
    );
    await expect(
      exportClip(t.core, { sessionId, fromMs: 1000, toMs: 2000, label: 'x'.repeat(121), out: file }, 'all'),
    ).rejects.toThrow('A clip’s label has at most 120 characters: it is drawn into the picture.');
    // An end past the session's is said, not quietly cut short.
    await expect(exportClip(t.core, { sessionId, fromMs: 1000, toMs: 9000, out: file }, 'all')).rejects.toThrow(
      /^The clip ends at 00:00:09.000, after the end of the session \(00:00:07.000\)\.$/,
    );
    await expect(exportClip(t.core, { sessionId, fromMs: 0, toMs: 400, out: file }, 'all')).rejects.toThrow(
      /does not cover/,
    );
    await expect(
      exportClip(t.core, { sessionId, fromMs: 1000, toMs: 2000, out: path.join(out.dir, 'nope', 'x.mp4') }, 'all'),
    ).rejects.toThrow(/does not exist/);
    const abort = new AbortController();
    const cut = exportClip(t.core, { sessionId, fromMs: 1000, toMs: 7000, blur: true, out: file }, 'all', {
      signal: abort.signal,
    });
    abort.abort();
    await expect(cut).rejects.toThrow(/cancelled; nothing was written/);
    expect(fs.readdirSync(out.dir).filter((f) => f.startsWith('.x.mp4') || f === 'x.mp4')).toEqual([]);
    // A moved recording says so.
    fs.renameSync(path.join(out.dir, 'kamera ø.mp4'), path.join(out.dir, 'moved.mp4'));
    await expect(exportClip(t.core, { sessionId, fromMs: 1000, toMs: 2000, out: file }, 'all')).rejects.toThrow(
      /kamera ø.mp4 is not where it was/,
    );
  });

  it('is cut from the command line', async () => {
    t.core.close();
    let stdout = '';
    let stderr = '';
    const file = path.join(out.dir, 'cli.mp4');
    const code = await runCli(
      [
        'clip',
        String(sessionId),
        '--from',
        '2',
        '--to',
        '00:00:04',
        '--pad',
        '0.5',
        '--out',
        file,
        '--json',
        '--data-dir',
        t.dir,
      ],
      {
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
        tty: false,
        env: {},
      },
    );
    expect(stderr.replace(/clip: \d+ %\n/g, '')).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ fromMs: 1500, toMs: 4500 });
    expect(probe(file).seconds).toBeGreaterThan(2.8);
  });

  it('runs from the app as a job: progress and the end as events, cancellable, into the exports folder', async () => {
    const job = t.core.clips.start({ sessionId, fromMs: 1500, toMs: 5500 }, 'all');
    expect(job.fileName).toBe('C-CLIP-s1-00-00-01.mp4');
    await expect.poll(() => t.events.some((e) => e.name === 'clip:finished'), { timeout: 20_000 }).toBe(true);
    const end = t.events.find((e) => e.name === 'clip:finished')!.payload as { result: { out: string } | null };
    expect(end.result!.out).toBe(path.join(t.dir, 'exports', 'C-CLIP-s1-00-00-01.mp4'));
    expect(t.events.some((e) => e.name === 'clip:progress')).toBe(true);
    // A second clip of the same moment does not overwrite the first.
    const again = t.core.clips.start({ sessionId, fromMs: 1500, toMs: 7000, blur: true }, 'all');
    expect(again.fileName).toBe('C-CLIP-s1-00-00-01 (2).mp4');
    expect(t.core.clips.cancel(again.id)).toEqual({ cancelled: true });
    await expect.poll(() => t.events.filter((e) => e.name === 'clip:finished').length, { timeout: 20_000 }).toBe(2);
    const cancelled = t.events.filter((e) => e.name === 'clip:finished')[1]!.payload as {
      error: { code: string } | null;
    };
    expect(cancelled.error?.code).toBe('CANCELLED');
    expect(fs.readdirSync(path.join(t.dir, 'exports'))).toEqual(['C-CLIP-s1-00-00-01.mp4']);
    // From the app, a typed path never overwrites a file and is always a video.
    const kept = path.join(out.dir, 'notes.txt');
    fs.writeFileSync(kept, 'mine');
    expect(() => t.core.clips.start({ sessionId, fromMs: 1500, toMs: 2500, out: kept }, 'all')).toThrow(
      /saved as an .mp4/,
    );
    expect(() =>
      t.core.clips.start(
        { sessionId, fromMs: 1500, toMs: 2500, out: path.join(t.dir, 'exports', 'C-CLIP-s1-00-00-01.mp4') },
        'all',
      ),
    ).toThrow(/already exists/);
    expect(fs.readFileSync(kept, 'utf8')).toBe('mine');
    // What cannot be cut is refused at once, before any job starts.
    expect(() => t.core.clips.start({ sessionId, fromMs: 90_000, toMs: 91_000 }, 'all')).toThrow(/outside the session/);
  });

  it('makes a playlist of moments: one MP4 with title cards, or a folder of clips with an index', async () => {
    const rater = t.core.raters.create('Dr. S', 'supervisor');
    const seg = t.core.annotations.create({
      sessionId,
      raterId: t.core.raters.create('Obs', 'observer').id,
      kind: 'rupture',
      startMs: 2000,
      endMs: 3000,
      codes: ['W2'],
    });
    const note = t.core.feedback.add(
      { sessionId, startMs: 5000, endMs: 6000, label: 'question', text: "What's 100% here: a pause?" },
      rater,
    );
    const file = path.join(out.dir, 'playlist.mp4');
    const res = await exportPlaylist(
      t.core,
      { sessionId, items: [{ threadId: note.id }, { segmentId: seg.id }], padMs: 500, out: file },
      'all',
    );
    expect(res.items).toBe(2);
    const p = probe(file);
    expect(p.streams).toEqual(['audio:aac', 'video:h264']);
    // Two title cards of 2 s and two moments of 2 s each (1 s with 0.5 s either side).
    expect(p.seconds).toBeGreaterThan(7.5);
    expect(p.seconds).toBeLessThan(8.6);
    const dir = path.join(out.dir, 'teaching');
    await exportPlaylist(
      t.core,
      { sessionId, items: [{ segmentId: seg.id }, { threadId: note.id }], out: dir, folder: true },
      'all',
    );
    expect(fs.readdirSync(dir).sort()).toEqual(['01 00-00-02.mp4', '02 00-00-05.mp4', 'index.csv']);
    expect(fs.readFileSync(path.join(dir, 'index.csv'), 'utf8')).toMatch(
      /^number,start,title,file\n1,00:00:02.000,00:00:02 · rupture: W2 Minimal response,01 00-00-02.mp4\n2,/,
    );
    await expect(exportPlaylist(t.core, { sessionId, items: [{ segmentId: 9999 }], out: file }, 'all')).rejects.toThrow(
      /no longer exists/,
    );
    await expect(
      exportPlaylist(t.core, { sessionId, items: [{ segmentId: seg.id }], out: dir, folder: true }, 'all'),
    ).rejects.toThrow(/already exists/);
    // One video is written to a file: not into a folder, nor renamed over a pipe.
    await expect(
      exportPlaylist(t.core, { sessionId, items: [{ segmentId: seg.id }], out: dir }, 'all'),
    ).rejects.toThrow(`${dir} is a folder; give a file name for the playlist.`);
    const fifo = path.join(out.dir, 'playlist.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(
      exportPlaylist(t.core, { sessionId, items: [{ segmentId: seg.id }], out: fifo }, 'all'),
    ).rejects.toThrow(/playlist.fifo is not a plain file; the playlist is written to a file\./);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(out.dir).filter((f) => f.includes('.part'))).toEqual([]);
  });

  it('draws hostile labels as text: no label (from the CLI or a feedback label) becomes filter syntax', async () => {
    const supervisor = t.core.raters.create('Dr. S', 'supervisor');
    const secret = path.join(out.dir, 's');
    fs.writeFileSync(secret, 'a file of the user');
    const written = path.join(out.dir, 'w');
    const hostile = [
      `x':textfile=${secret}:x='0`,
      `',drawtext=textfile=${secret}:x=0:y=0,'`,
      `a[out];movie=${secret}[m];[m]null`,
      `%{eif\\:1/0\\:d} \\' ; , : [ ] %{pts}`,
      `x',sendcmd=f=${secret},ametadata=mode=print:file=${written}:key='`,
    ];
    for (const label of hostile) {
      const plan = planClip(
        t.core,
        { sessionId, fromMs: 1000, toMs: 2000, timecode: true, label, out: 'x.mp4' },
        'all',
        'x.mp4',
      );
      // The label is in a file ffmpeg reads, and in no argument of ffmpeg's.
      expect(plan.texts['label.txt']).toBe(label);
      expect(plan.args.some((a) => a.includes(label) || a.includes(secret))).toBe(false);
      const file = path.join(out.dir, 'hostile.mp4');
      await exportClip(t.core, { sessionId, fromMs: 1000, toMs: 2000, timecode: true, label, out: file }, 'all');
      expect(probe(file).streams).toEqual(['audio:aac', 'video:h264']);
      fs.rmSync(file);
    }
    expect(fs.existsSync(written)).toBe(false);
    // A feedback label reaches the clip the same way (clips:export in the app).
    const short = "',drawtext=textfile=/etc/hostname,'"; // a label has at most 40 characters
    t.core.feedback.setLabels(['question', short], 'all');
    const note = t.core.feedback.add(
      { sessionId, startMs: 3000, endMs: 4000, label: short, text: 'look here' },
      supervisor,
    );
    const plan = planClip(t.core, { sessionId, threadId: note.id, timecode: true, out: 'x.mp4' }, 'all', 'x.mp4');
    expect(plan.texts['label.txt']).toBe(short);
    expect(plan.args.join(' ')).not.toContain('/etc/hostname');
    // The private folder ffmpeg worked in is gone.
    expect(fs.readdirSync(path.join(t.dir, 'tmp'))).toEqual([]);
  });
});
