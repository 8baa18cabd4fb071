import type { SegmentOrigin } from '../../../shared/annotations';

/** Where an imported segment came from, in one line ("From x.eaf, tier …, line 12: "W2""). */
export function originText(o: SegmentOrigin): string {
  const parts = [
    o.tier && `tier “${o.tier}”`,
    o.participant && `participant ${o.participant}`,
    o.subject && `subject ${o.subject}`,
    o.modifiers?.length && `modifiers ${o.modifiers.join(', ')}`,
    o.at,
  ].filter(Boolean);
  return `Imported from ${o.file} (${o.format}); ${parts.join(', ')}${o.value ? `: “${o.value}”` : ''}${o.point ? '. A point event in the file, given the minimum length' : ''}.`;
}
