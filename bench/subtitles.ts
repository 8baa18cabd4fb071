/**
 * Reading subtitles (issue 25: linear-time readers): SRT and WebVTT files of 12,500 and 100,000
 * cues of two speakers, read as an import reads them. Target: 100,000 cues in at most 5 s (before:
 * 89 s, quadratic in the cues). Prints one JSON object.
 */
import { readSubtitles } from '../src/main/interop/subtitles';

const clock = (ms: number, sep: string) => new Date(ms).toISOString().slice(11, 23).replace('.', sep);
function file(n: number, format: 'srt' | 'webvtt'): string {
  const out: string[] = format === 'webvtt' ? ['WEBVTT', ''] : [];
  const sep = format === 'srt' ? ',' : '.';
  for (let i = 0; i < n; i++) {
    if (format === 'srt') out.push(String(i + 1));
    out.push(`${clock(i * 1500, sep)} --> ${clock(i * 1500 + 1200, sep)}`);
    out.push(`${i % 2 ? 'Patient' : 'Therapist'}: I said something <i>about</i> it, number ${i}.`, '');
  }
  return out.join('\n');
}
const result: Record<string, { cues: number; ms: number }> = {};
for (const format of ['srt', 'webvtt'] as const)
  for (const n of [12_500, 100_000]) {
    const text = file(n, format);
    const t0 = performance.now();
    const doc = readSubtitles(text, format);
    const ms = performance.now() - t0;
    result[`${format}_${n}`] = { cues: doc.tiers.reduce((s, t) => s + t.annotations.length, 0), ms: Math.round(ms) };
  }
console.log(JSON.stringify({ benchmark: 'subtitles-read', ...result, target_ms_100000: 5000 }, null, 2));
