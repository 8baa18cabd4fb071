import { useEffect, useState } from 'react';
import { describeImpact } from '../../../shared/erasure';
import { api, errorMessage } from '../api';
import { Confirm } from './Confirm';

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
