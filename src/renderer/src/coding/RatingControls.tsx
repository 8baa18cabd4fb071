import { useState } from 'react';
import type { RatingState } from '../../../shared/annotations';

/** Draft → Submit; submitted → Revise with a reason (the submitted version is kept). */
export function RatingControls(props: {
  rating: RatingState | undefined;
  onSubmit: () => void;
  onRevise: (reason: string) => void;
}) {
  const [revising, setRevising] = useState(false);
  const [reason, setReason] = useState('');
  const submitted = props.rating?.status === 'submitted';
  if (revising) {
    return (
      <form
        className="rating-controls"
        aria-label="Revise rating"
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) return;
          props.onRevise(reason.trim());
          setRevising(false);
          setReason('');
        }}
      >
        <input
          aria-label="Reason for the revision"
          placeholder="Why change the submitted rating?"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoFocus
        />
        <button type="submit" className="primary">
          Start revision
        </button>
        <button type="button" onClick={() => setRevising(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <span className="rating-controls">
      <span className={`rating-status ${submitted ? 'submitted' : 'draft'}`} role="status" aria-label="Rating status">
        {submitted
          ? `Submitted${props.rating!.revision > 1 ? ` (revision ${props.rating!.revision})` : ''}`
          : `Draft${props.rating && props.rating.revision > 1 ? ` (revision ${props.rating.revision})` : ''}`}
      </span>
      {submitted ? (
        <button type="button" onClick={() => setRevising(true)}>
          Revise…
        </button>
      ) : (
        <button type="button" onClick={props.onSubmit} title="Lock your rating; others can then compare with it">
          Submit rating
        </button>
      )}
    </span>
  );
}
