import { BINDINGS } from './key-bindings';

/** The shortcut sheet: the rows of the one key-binding table the keyboard handler uses. */
export function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <aside className="shortcuts" aria-label="Keyboard shortcuts">
      <div className="shortcuts-head">
        <h2>Keyboard shortcuts</h2>
        <button type="button" onClick={onClose} aria-label="Close shortcuts">
          Close
        </button>
      </div>
      <dl>
        {BINDINGS.map((row) => (
          <div key={row.keys}>
            <dt>
              <kbd>{row.keys}</kbd>
            </dt>
            <dd>{row.does}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
