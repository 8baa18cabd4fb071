import type { DeleteImpact } from './domain';

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const size = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;

/**
 * What deleting a case or a session erases, in words (only what there is): the app's confirmation
 * and the command line say the same.
 */
export function describeImpact(i: DeleteImpact, isCase: boolean): string {
  const parts: string[] = [];
  if (isCase) parts.push(n(i.sessions, 'session'));
  if (i.segments) parts.push(`${n(i.segments, 'coded segment')} by ${n(i.raters, 'rater')} with their edit history`);
  if (i.submittedRatings) parts.push(n(i.submittedRatings, 'submitted rating'));
  if (i.revisions) parts.push(n(i.revisions, 'kept revision'));
  if (i.consensusSegments) parts.push(`the consensus (${n(i.consensusSegments, 'segment')})`);
  if (i.responses) parts.push(n(i.responses, 'questionnaire'));
  if (i.feedback) parts.push(n(i.feedback, 'feedback comment or reply', 'feedback comments and replies'));
  if (i.transcriptLines) parts.push(n(i.transcriptLines, 'transcript line'));
  if (i.copiedFiles)
    parts.push(`${n(i.copiedFiles, 'recording')} copied into the library folder (${size(i.copiedBytes)})`);
  const originals = i.recordings - i.copiedFiles;
  const erased = parts.length
    ? `It erases ${parts.join(', ')}, and overwrites the space they took.`
    : 'Nothing else is stored with it.';
  const kept = originals
    ? ` ${n(originals, 'recording')} outside the library folder ${originals === 1 ? 'stays' : 'stay'} where ${originals === 1 ? 'it is' : 'they are'}.`
    : '';
  return `${erased}${kept} The audit log keeps only that it was deleted.`;
}
