import { formatTime } from '../../../shared/time';
import type { Pending } from './Lanes';
import { SaveStatus } from './SaveStatus';
import type { Annotations } from './useAnnotations';

/** Above the lanes: how to mark, the blind-rating note, an open segment, and the save and undo controls. */
export function LanesToolbar({ ann, pending }: { ann: Annotations; pending: Pending | null }) {
  return (
    <div className="lanes-toolbar">
      <span className="muted small">
        <kbd>R</kbd> rupture · <kbd>P</kbd> repair · <kbd>C</kbd> comment — press again to close
      </span>
      {ann.data && ann.data.hidden.length > 0 && (
        <span className="blind-note" role="note">
          Blind rating: the work of {ann.data.hidden.length} other {ann.data.hidden.length === 1 ? 'rater' : 'raters'}{' '}
          is hidden until you submit yours (a workflow guard on a shared machine, not a security boundary).
        </span>
      )}
      {pending && (
        <span className="recording-mark" role="status">
          ● {pending.kind} open since {formatTime(pending.startMs)} — press{' '}
          {pending.kind === 'rupture' ? 'R' : pending.kind === 'repair' ? 'P' : 'C'} to close, Esc to drop
        </span>
      )}
      <span className="spacer" />
      <span className="lane-actions">
        <label className="checkbox small">
          <input
            type="checkbox"
            checked={ann.pauseWhileCoding}
            onChange={(e) => void ann.actions.setPauseWhileCoding(e.target.checked)}
          />
          Pause while coding
        </label>
        <SaveStatus saving={ann.saving} />
        <button
          type="button"
          onClick={() => void ann.actions.undo()}
          disabled={!ann.data?.canUndo}
          title={ann.data?.undoLabel ?? 'Nothing to undo'}
          aria-label="Undo"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => void ann.actions.redo()}
          disabled={!ann.data?.canRedo}
          title={ann.data?.redoLabel ?? 'Nothing to redo'}
          aria-label="Redo"
        >
          Redo
        </button>
      </span>
    </div>
  );
}
