/**
 * Transcripts as subtitles and timed text: WebVTT (speakers from `<v Name>` voice tags), SRT, and
 * plain text with a timestamp per utterance (`[00:01:02] Therapist: …`, `00:01:02.5 - 00:01:05 …`;
 * an utterance without an end lasts until the next one). A `Name:` prefix names the speaker.
 * One tier per speaker, so the mapping step can name who is who.
 */
import { clockToMs, secondsToMs, type ForeignAnnotation, type ForeignDocument, type ForeignFormat } from './foreign';

const SPEAKER_PREFIX = /^([\p{L}][\p{L}\p{N} ._'-]{0,30}):\s+(.*)$/su;

function speakerOf(text: string): { speaker?: string; text: string } {
  const voice = /^<v(?:\.[\w.-]+)?\s+([^>]+)>([\s\S]*?)(?:<\/v>)?$/.exec(text);
  if (voice) return { speaker: voice[1]!.trim(), text: stripTags(voice[2]!) };
  const m = SPEAKER_PREFIX.exec(text);
  if (m) return { speaker: m[1]!.trim(), text: stripTags(m[2]!) };
  return { text: stripTags(text) };
}

function stripTags(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function toDocument(format: ForeignFormat, cues: ForeignAnnotation[], doc: ForeignDocument): ForeignDocument {
  const bySpeaker = new Map<string, ForeignAnnotation[]>();
  for (const c of cues) {
    const key = c.speaker ?? '';
    bySpeaker.set(key, [...(bySpeaker.get(key) ?? []), c]);
  }
  doc.format = format;
  doc.tiers = [...bySpeaker.entries()].map(([speaker, annotations]) => ({
    name: speaker || 'transcript',
    participant: speaker || undefined,
    hint: 'transcript' as const,
    annotations,
  }));
  return doc;
}

/** WebVTT and SRT: blocks separated by blank lines, a `start --> end` line, then the text. */
export function readSubtitles(text: string, format: 'webvtt' | 'srt'): ForeignDocument {
  const doc: ForeignDocument = { format, tiers: [], media: [], warnings: [], rejected: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const cues: ForeignAnnotation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const arrow = /^\s*(\S+)\s+-->\s+(\S+)/.exec(lines[i]!);
    if (!arrow) continue;
    const at = `line ${i + 1}`;
    const s = clockToMs(arrow[1]);
    const e = clockToMs(arrow[2]);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== ''; j++) body.push(lines[j]!);
    i = j;
    if (s === null || e === null) {
      doc.rejected.push({ at, reason: `"${arrow[1]} --> ${arrow[2]}" are not times (hh:mm:ss.mmm).` });
      continue;
    }
    if (e < s) {
      doc.rejected.push({ at, reason: 'the cue ends before it starts.' });
      continue;
    }
    const joined = body.join(' ').trim();
    if (!joined) continue;
    const { speaker, text: said } = speakerOf(joined);
    cues.push({ startMs: s, endMs: e, value: said, at, speaker });
  }
  if (cues.length === 0 && doc.rejected.length === 0) doc.warnings.push('No cues found.');
  return toDocument(format, cues, doc);
}

const TIMED =
  /^\s*\[?((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?|\d+(?:\.\d{1,3})?)\]?(?:\s*(?:-|–|-->)\s*\[?((?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?|\d+(?:\.\d{1,3})?)\]?)?\s+(.*)$/;

/** Plain text, one utterance per line starting with a timestamp. */
export function readTimedText(text: string): ForeignDocument {
  const doc: ForeignDocument = { format: 'timed-text', tiers: [], media: [], warnings: [], rejected: [] };
  const cues: ForeignAnnotation[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const at = `line ${i + 1}`;
      const m = TIMED.exec(line);
      const s = m ? (clockToMs(m[1]) ?? secondsToMs(m[1])) : null;
      if (!m || s === null) {
        // A line without a timestamp continues the previous utterance.
        const prev = cues[cues.length - 1];
        if (prev) prev.value = `${prev.value} ${line.trim()}`;
        else doc.rejected.push({ at, reason: 'the line does not start with a timestamp.' });
        return;
      }
      const e = m[2] ? (clockToMs(m[2]) ?? secondsToMs(m[2])) : null;
      const { speaker, text: said } = speakerOf(m[3]!.trim());
      cues.push({ startMs: s, endMs: e ?? -1, value: said, at, speaker });
    });
  cues.forEach((c, i) => {
    if (c.endMs < 0) c.endMs = Math.max(c.startMs, cues[i + 1]?.startMs ?? c.startMs + 2000);
  });
  return toDocument('timed-text', cues, doc);
}
