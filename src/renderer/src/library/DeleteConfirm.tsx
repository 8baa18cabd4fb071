import { useEffect, useState } from 'react';
import type { DeleteImpact } from '../../../shared/domain';
import { api, errorMessage } from '../api';
import { Confirm } from './Confirm';

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** What goes with a deletion, in words (only what there is). */
export function describeImpact(i: DeleteImpact, isCase: boolean): string {
  const parts: string[] = [];
  if (isCase) parts.push(n(i.sessions, 'session'));
  if (i.recordings) parts.push(`${n(i.recordings, 'recording reference')} (the media files stay on disk)`);
  if (i.segments) parts.push(`${n(i.segments, 'coded segment')} by ${n(i.raters, 'rater')}`);
  if (i.submittedRatings) parts.push(n(i.submittedRatings, 'submitted rating'));
  if (i.consensusSegments) parts.push(`the consensus (${n(i.consensusSegments, 'segment')})`);
  if (i.responses) parts.push(n(i.responses, 'questionnaire'));
  if (i.feedback) parts.push(n(i.feedback, 'feedback comment or reply', 'feedback comments and replies'));
  return parts.length ? `It takes with it ${parts.join(', ')}.` : 'Nothing else is stored with it.';
}

/**
 * Asks before deleting a case or a session, saying what goes with it and that it cannot be
 * undone, so nobody loses a colleague's submitted rating by one click.
 */
export function DeleteConfirm(props: {
  what: { caseId: number } | { sessionId: number };
  title: string;
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { what, title, action, onConfirm, onCancel } = props;
  const [impact, setImpact] = useState<string | null>(null);
  const key = JSON.stringify(what);
  useEffect(() => {
    api.call('library:deleteImpact', JSON.parse(key) as typeof what).then(
      (i) => setImpact(describeImpact(i, 'caseId' in what)),
      (e: unknown) => setImpact(`(What it holds could not be counted: ${errorMessage(e)})`),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return (
    <Confirm
      text={`${title} This cannot be undone. ${impact ?? 'Counting what it holds…'} To keep a copy, export it first (alliance-review export).`}
      action={action}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
