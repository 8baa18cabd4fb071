/** The voice detector per channel: one microphone's sound never moves the other's verdicts. */
import { describe, expect, it } from 'vitest';
import { SpeechFrameAnalyzer } from './speech';
import { createSpeechFrames, WorkerSpeechFrames } from './speech-worker';

/** Deterministic speech-like sound: a voiced buzz with syllable-rate loudness, and pauses. */
function voice(seconds: number, level: number, seed: number): Int16Array {
  const rate = 8000;
  const out = new Int16Array(seconds * rate);
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const noise = (x / 0x7fffffff - 0.5) * 0.2;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t + seed));
    const talking = Math.floor(t / 1.5 + seed) % 3 !== 0 ? 1 : 0;
    const buzz = Math.sin(2 * Math.PI * (120 + seed * 20) * t) + 0.5 * Math.sin(2 * Math.PI * 240 * t);
    out[i] = Math.round(level * (talking * syllable * buzz + noise) * 8000);
  }
  return out;
}

/** 30 s of a loud speaker on the left and a quiet one on the right, interleaved as ffmpeg writes. */
function twoSpeakers() {
  const left = voice(30, 3, 1);
  const right = voice(30, 0.3, 2);
  const stereo = new Int16Array(left.length * 2);
  for (let i = 0; i < left.length; i++) {
    stereo[2 * i] = left[i]!;
    stereo[2 * i + 1] = right[i]!;
  }
  return { right, stereo };
}

describe('speech frames', () => {
  it('a stereo file’s channel gets the same verdicts as that microphone alone', async () => {
    const { right, stereo } = twoSpeakers();
    const both = await SpeechFrameAnalyzer.create(2, 30_000);
    both.push(stereo);
    const [, rightInStereo] = both.finish();
    const alone = await SpeechFrameAnalyzer.create(1, 30_000);
    alone.push(right);
    const [rightAlone] = alone.finish();
    expect(rightInStereo!.length).toBe(1500);
    expect([...rightInStereo!]).toEqual([...rightAlone!]);
  });

  it('are worked out in a worker thread, frame for frame as on this thread, fed in pieces as ffmpeg writes', async () => {
    const { stereo } = twoSpeakers();
    const here = await SpeechFrameAnalyzer.create(2, 30_000);
    here.push(stereo);
    const expected = here.finish();
    const there = await createSpeechFrames(2, 30_000, true);
    expect(there).toBeInstanceOf(WorkerSpeechFrames);
    // Pieces of odd sizes (whole sample frames), as the pipe delivers them.
    for (let at = 0; at < stereo.length; at += 2 * 4093) there.push(stereo.subarray(at, at + 2 * 4093));
    const got = await there.finish();
    expect(got).toHaveLength(2);
    expect(got[0]!.length).toBe(1500);
    expect([...got[0]!]).toEqual([...expected[0]!]);
    expect([...got[1]!]).toEqual([...expected[1]!]);
    // The quiet speaker's channel has speech and pauses: the comparison is not between two
    // answers that could not differ.
    const voiced = got[1]!.filter((b) => b >> 7).length;
    expect(voiced).toBeGreaterThan(300);
    expect(voiced).toBeLessThan(1200);
  });

  it('are the same fed whole or in pieces that split frames, mono or stereo, as the frame-by-frame worker gives', async () => {
    const { stereo } = twoSpeakers();
    const mono = voice(30, 1, 3);
    for (const [channels, samples] of [
      [1, mono],
      [2, stereo],
    ] as const) {
      const whole = await SpeechFrameAnalyzer.create(channels, 30_000);
      whole.push(samples);
      const expected = whole.finish();
      const pieces = await SpeechFrameAnalyzer.create(channels, 30_000);
      // 4,093 and 37 sample frames: most pushes end inside a 160-sample frame, some inside a block.
      for (let at = 0, k = 0; at < samples.length; k++) {
        const size = channels * (k % 2 ? 37 : 4093);
        pieces.push(samples.subarray(at, at + size));
        at += size;
      }
      expect(pieces.finish()).toEqual(expected);
      // The worker copies every frame sample by sample: the reference the blocks must agree with.
      const worker = await createSpeechFrames(channels, 30_000, true);
      worker.push(samples);
      expect(await worker.finish()).toEqual(expected);
      expect(expected[0]!.filter((b) => b >> 7).length).toBeGreaterThan(300);
    }
  });
});
