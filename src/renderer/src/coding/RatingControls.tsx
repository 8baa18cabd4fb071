import { useEffect, useRef, useState } from 'react';
import type { RatingState } from '../../../shared/annotations';

/**
 * Draft → Submit (after a confirmation that names what is still empty: it locks the rating);
 * submitted → Revise with a reason (the submitted version is kept).
 */
export function RatingControls(props: {
  rating: RatingState | undefined;
  onSubmit: () => void;
  onRevise: (reason: string) => void;
  /** What the rating still lacks, in words (no segments, an empty grid, no self-report), asked on Submit. */
  emptyParts?: () => Promise<string[]>;
}) {
  const [revising, setRevising] = useState(false);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [reason, setReason] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const submitted = props.rating?.status === 'submitted';
  if (confirming) {
    return (
      <form
        className="rating-controls confirm-submit"
        aria-label="Submit rating"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirming(null);
          props.onSubmit();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setConfirming(null);
        }}
      >
        <span role="alert">
          {confirming.length
            ? `Still empty: ${confirming.join('; ')}. Submit anyway? It locks your rating.`
            : 'Submit your rating? It locks it; a revision needs a reason.'}
        </span>
        <button type="submit" className="primary" ref={confirmRef}>
          Submit
        </button>
        <button type="button" onClick={() => setConfirming(null)}>
          Not yet
        </button>
      </form>
    );
  }
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
        <button
          type="button"
          onClick={() =>
            void (props.emptyParts?.() ?? Promise.resolve([])).then(setConfirming, () => setConfirming([]))
          }
          title="Lock your rating; others can then compare with it"
        >
          Submit rating
        </button>
      )}
    </span>
  );
}
