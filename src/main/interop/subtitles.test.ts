/** Subtitles read by their specs: cue boundaries, tags, and speakers only where a file uses them. */
import { describe, expect, it } from 'vitest';
import { readSubtitles, readTimedText } from './subtitles';

const values = (doc: ReturnType<typeof readSubtitles>) =>
  doc.tiers.flatMap((t) =>
    t.annotations.map((a) => ({ speaker: t.participant ?? null, value: a.value, startMs: a.startMs })),
  );

describe('subtitles by their specs', () => {
  it('a WebVTT cue written straight after the previous one (no blank line) is its own cue', () => {
    const doc = readSubtitles(
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst line\n00:00:03.000 --> 00:00:04.000\nSecond line\n',
      'webvtt',
    );
    expect(values(doc)).toEqual([
      { speaker: null, value: 'First line', startMs: 1000 },
      { speaker: null, value: 'Second line', startMs: 3000 },
    ]);
    // SRT likewise, its cue number not taken as text.
    const srt = readSubtitles('1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n', 'srt');
    expect(values(srt).map((v) => v.value)).toEqual(['One', 'Two']);
  });

  it('keeps a literal "<" and text that only looks like a tag; strips the formatting tags', () => {
    const doc = readSubtitles(
      '1\n00:00:01,000 --> 00:00:02,000\nA score < 5 is low, > 8 high, I <3 it\n\n2\n00:00:03,000 --> 00:00:04,000\n<i>really</i> <font color="#ff0">so</font> &amp; more\n',
      'srt',
    );
    expect(values(doc).map((v) => v.value)).toEqual(['A score < 5 is low, > 8 high, I <3 it', 'really so & more']);
  });

  it('takes "Name:" as a speaker only where the file uses prefixes consistently; else keeps the words as written', () => {
    const ordinary = readSubtitles(
      [
        'WEBVTT',
        '',
        '00:00:01.000 --> 00:00:02.000',
        'Todo pasa por la central: eso dicen.',
        '',
        '00:00:03.000 --> 00:00:04.000',
        'Y luego nada.',
        '',
        '00:00:05.000 --> 00:00:06.000',
        'Digo: no sé.',
        '',
        '00:00:07.000 --> 00:00:08.000',
        'Bueno.',
        '',
        '00:00:09.000 --> 00:00:10.000',
        'Ya.',
      ].join('\n'),
      'webvtt',
    );
    expect(ordinary.tiers).toHaveLength(1);
    expect(values(ordinary).map((v) => v.value)).toContain('Digo: no sé.');
    expect(values(ordinary).map((v) => v.value)).toContain('Todo pasa por la central: eso dicen.');
    const dialogue = readTimedText(
      '[00:00:01] T: Hello.\n[00:00:04] P: Hi.\n[00:00:06] T: How are you?\n[00:00:09] P: Fine.\n',
    );
    expect(dialogue.tiers.map((t) => t.participant)).toEqual(['T', 'P']);
  });

  it('reads 20,000 cues of two speakers into two tiers, every cue kept (speed: bench/subtitles.ts)', () => {
    const cue = (i: number) => {
      const t = (ms: number) => new Date(ms).toISOString().slice(11, 23).replace('.', ',');
      return `${i + 1}\n${t(i * 1000)} --> ${t(i * 1000 + 900)}\n${i % 2 ? 'P' : 'T'}: words ${i}\n`;
    };
    const doc = readSubtitles(Array.from({ length: 20_000 }, (_, i) => cue(i)).join('\n'), 'srt');
    expect(doc.tiers.map((t) => t.annotations.length)).toEqual([10_000, 10_000]);
  });
});
