import { memo, useSyncExternalStore } from 'react';
import { formatTime } from '../../../shared/time';
import type { Pending } from './Lanes';
import { SaveStatus } from './SaveStatus';
import type { Annotations, HistoryTracker, SaveTracker } from './useAnnotations';

/** Above the lanes: how to mark, the blind-rating note, an open segment, and the save and undo controls. */
export const LanesToolbar = memo(function LanesToolbar(props: {
  pending: Pending | null;
  /** How many raters' work is hidden (blind rating). */
  hiddenRaters: number;
  /** The current rater's own rating is submitted: what stays hidden is others' drafts. */
  ownSubmitted: boolean;
  pauseWhileCoding: boolean;
  saving: SaveTracker;
  /** The undo state; only this toolbar renders when it changes. */
  history: HistoryTracker;
  actions: Annotations['actions'];
  /** Opens "Import / export…" (ELAN, BORIS, transcripts in; ELAN, BORIS, CSV out). */
  onInterop: () => void;
}) {
  const { pending, hiddenRaters, ownSubmitted, pauseWhileCoding, saving, actions } = props;
  const history = useSyncExternalStore(props.history.subscribe, props.history.get);
  return (
    <div className="lanes-toolbar">
      <span className="muted small">
        <kbd>R</kbd> rupture · <kbd>P</kbd> repair · <kbd>C</kbd> comment — press again to close
      </span>
      {hiddenRaters > 0 && (
        <span className="blind-note" role="note" title="A workflow guard on a shared machine, not a security boundary.">
          {ownSubmitted
            ? `Blind rating: ${hiddenRaters} other ${hiddenRaters === 1 ? 'rater has' : 'raters have'} not submitted yet; their work shows once they do.`
            : `Blind rating: ${hiddenRaters} other ${hiddenRaters === 1 ? 'rater’s' : 'raters’'} work is hidden until you submit yours.`}
        </span>
      )}
      {pending && (
        <span className="recording-mark" role="status">
          ● {pending.code ? `${pending.kind} ${pending.code}` : pending.kind} open since {formatTime(pending.startMs)} —
          press {pending.key ?? (pending.kind === 'rupture' ? 'R' : pending.kind === 'repair' ? 'P' : 'C')} to close
          (another mark key closes it and starts its own), Esc to drop
        </span>
      )}
      <span className="spacer" />
      <span className="lane-actions">
        <button
          type="button"
          className="nowrap"
          onClick={props.onInterop}
          title="ELAN, BORIS and transcripts in; ELAN, BORIS, CSV and JSON out"
        >
          Import / export…
        </button>
        <label className="checkbox small">
          <input
            type="checkbox"
            checked={pauseWhileCoding}
            onChange={(e) => void actions.setPauseWhileCoding(e.target.checked)}
          />
          Pause while coding
        </label>
        <SaveStatus saving={saving} />
        <button
          type="button"
          onClick={() => void actions.undo()}
          disabled={!history.canUndo}
          title={history.undoLabel ?? 'Nothing to undo'}
          aria-label="Undo"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => void actions.redo()}
          disabled={!history.canRedo}
          title={history.redoLabel ?? 'Nothing to redo'}
          aria-label="Redo"
        >
          Redo
        </button>
      </span>
    </div>
  );
});
