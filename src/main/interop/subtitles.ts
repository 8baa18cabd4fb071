/**
 * Transcripts as subtitles and timed text: WebVTT (speakers from `<v Name>` voice tags), SRT, and
 * plain text with a timestamp per utterance (`[00:01:02] Therapist: …`, `00:01:02.5 - 00:01:05 …`;
 * an utterance without an end lasts until the next one). A `Name:` prefix names the speaker.
 * One tier per speaker, so the mapping step can name who is who.
 */
import { clockToMs, secondsToMs, type ForeignAnnotation, type ForeignDocument, type ForeignFormat } from './foreign';

const SPEAKER_PREFIX = /^([\p{L}][\p{L}\p{N} ._'-]{0,30}):\s+(.*)$/su;

/**
 * The formatting tags the specs define: SRT's b, i, u and font; WebVTT's c, i, b, u, ruby, rt,
 * v, lang and cue timestamps. Anything else that looks like a tag ("a < b", "I <3 you") is text.
 */
const FORMAT_TAG =
  /<\/?(?:b|i|u|ruby|rt|font(?:\s[^<>]*)?|c(?:\.[\w.-]+)*|v(?:\.[\w.-]+)*(?:\s[^<>]*)?|lang(?:\s[^<>]*)?|\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3})>/gi;

function stripTags(s: string): string {
  return s
    .replace(FORMAT_TAG, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A cue's voice tag (`<v Name>`), whose speaker the WebVTT spec defines. */
function voiceOf(text: string): { speaker: string; text: string } | null {
  const voice = /^<v(?:\.[\w.-]+)*\s+([^>]+)>([\s\S]*?)(?:<\/v>)?$/.exec(text);
  return voice ? { speaker: voice[1]!.trim(), text: stripTags(voice[2]!) } : null;
}

/**
 * Speakers for a file's cues: voice tags where there are any; a "Name: " prefix only where the
 * file uses such prefixes consistently (at least half of its cues, and names that recur), so an
 * ordinary sentence with a colon ("Digo: …") is not turned into a speaker. Otherwise the text is
 * kept as written.
 */
function withSpeakers(texts: string[]): { speaker?: string; text: string }[] {
  const prefixed = texts.map((t) => SPEAKER_PREFIX.exec(stripTags(t)));
  const named = prefixed.filter((m) => m !== null);
  const names = new Set(named.map((m) => m[1]!.trim()));
  const consistent =
    named.length > 0 && named.length * 2 >= texts.length && names.size <= Math.max(2, named.length / 2);
  return texts.map((t, i) => {
    const voice = voiceOf(t);
    if (voice) return voice;
    const m = prefixed[i];
    if (consistent && m) return { speaker: m[1]!.trim(), text: m[2]!.trim() };
    return { text: stripTags(t) };
  });
}

function toDocument(format: ForeignFormat, cues: ForeignAnnotation[], doc: ForeignDocument): ForeignDocument {
  // Grouped in one pass (a list per speaker, appended to): linear in the number of cues.
  const bySpeaker = new Map<string, ForeignAnnotation[]>();
  for (const c of cues) {
    const key = c.speaker ?? '';
    const list = bySpeaker.get(key);
    if (list) list.push(c);
    else bySpeaker.set(key, [c]);
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

const TIMING = /^\s*(\S+)\s+-->\s+(\S+)/;

/**
 * WebVTT and SRT: a `start --> end` line, then the cue's text up to a blank line, or up to the
 * next timing line (a cue written straight after the previous one is its own cue, not text).
 */
export function readSubtitles(text: string, format: 'webvtt' | 'srt'): ForeignDocument {
  const doc: ForeignDocument = { format, tiers: [], media: [], warnings: [], rejected: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const raw: { startMs: number; endMs: number; at: string; body: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const arrow = TIMING.exec(lines[i]!);
    if (!arrow) continue;
    const at = `line ${i + 1}`;
    const s = clockToMs(arrow[1]);
    const e = clockToMs(arrow[2]);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== '' && !TIMING.test(lines[j]!); j++) body.push(lines[j]!);
    // An SRT cue number just before a timing line that follows without a blank line is not text.
    if (
      format === 'srt' &&
      j < lines.length &&
      TIMING.test(lines[j]!) &&
      /^\s*\d+\s*$/.test(body[body.length - 1] ?? '')
    )
      body.pop();
    i = j - 1;
    if (s === null || e === null) {
      doc.rejected.push({ at, reason: `"${arrow[1]} --> ${arrow[2]}" are not times (hh:mm:ss.mmm).` });
      continue;
    }
    if (e < s) {
      doc.rejected.push({ at, reason: 'the cue ends before it starts.' });
      continue;
    }
    const joined = body.join('\n').trim();
    if (!joined) continue;
    raw.push({ startMs: s, endMs: e, at, body: joined });
  }
  const speakers = withSpeakers(raw.map((r) => r.body));
  const cues: ForeignAnnotation[] = raw.map((r, k) => ({
    startMs: r.startMs,
    endMs: r.endMs,
    value: speakers[k]!.text,
    at: r.at,
    speaker: speakers[k]!.speaker,
  }));
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
      cues.push({ startMs: s, endMs: e ?? -1, value: m[3]!.trim(), at });
    });
  const speakers = withSpeakers(cues.map((c) => c.value));
  cues.forEach((c, i) => {
    c.speaker = speakers[i]!.speaker;
    c.value = speakers[i]!.text;
  });
  cues.forEach((c, i) => {
    if (c.endMs < 0) c.endMs = Math.max(c.startMs, cues[i + 1]?.startMs ?? c.startMs + 2000);
  });
  return toDocument('timed-text', cues, doc);
}
