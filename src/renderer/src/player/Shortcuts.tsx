import type { Code } from '../../../shared/codebook';
import { QUICK_KEYS_TEXT } from '../../../shared/codebook';
import { BINDINGS } from './key-bindings';

/**
 * The shortcut sheet: the rows of the one key-binding table the keyboard handler uses, and the
 * codebook's quick keys (one press opens a segment with that code, the next closes it).
 */
export function Shortcuts({ onClose, codes = [] }: { onClose: () => void; codes?: Code[] }) {
  const quick = codes.filter((c) => c.quickKey && !c.retired);
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
      <h3>Quick codes</h3>
      {quick.length ? (
        <dl className="quick-codes">
          {quick.map((c) => (
            <div key={c.key}>
              <dt>
                <kbd>{c.quickKey!.toUpperCase()}</kbd>
              </dt>
              <dd>
                Open, then close, a {c.category === 'repair' ? 'repair' : 'rupture'} coded <strong>{c.key}</strong>{' '}
                {c.label}
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted small">
          None yet. Give codes a quick key ({QUICK_KEYS_TEXT}) in the codebook, and one press opens a segment with that
          code, the next closes it, without typing.
        </p>
      )}
    </aside>
  );
}
