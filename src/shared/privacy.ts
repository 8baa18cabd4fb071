/** What an export lets leave the machine, in words (the export preview and the CLI say the same). */
export function describePrivacy(p: { names: boolean; notes: boolean }): string {
  const names = p.names
    ? 'with names: the therapist, the raters and the recordings’ file names'
    : 'pseudonymous: raters as R1, R2 …, recordings by number, no therapist name';
  const notes = p.notes
    ? 'with free text: session notes, segment notes, comments and feedback'
    : 'without free text (notes, comments’ words and feedback are left out)';
  return `${names}; ${notes}.`;
}
