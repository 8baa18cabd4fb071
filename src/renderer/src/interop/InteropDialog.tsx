import { useEffect, useRef } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { CodebookDefinition } from '../../../shared/codebook';
import type { ImportPreview } from '../../../shared/interop';
import { ExportSection } from './ExportSection';
import { ImportSection } from './ImportSection';

/** "Import / export…": another tool's files in, this session out. Escape closes it. */
export function InteropDialog(props: {
  sessionId: number;
  me: Rater | null;
  codebook: CodebookDefinition | undefined;
  onImported: (p: ImportPreview) => void;
  onClose: () => void;
}) {
  const { sessionId, me, codebook, onImported, onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  // The player re-renders as it plays; the dialog must not re-run its focus effect each time.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input, button')?.focus();
    // Escape closes the dialog wherever focus is (after an import the button pressed is gone).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      close.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      before?.focus();
    };
  }, []);
  return (
    <div className="modal-backdrop">
      <div
        className="modal interop-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="interop-title"
        ref={ref}
        onKeyDown={(e) => {
          // Tab stays inside the dialog.
          if (e.key === 'Tab' && ref.current) {
            const all = [
              ...ref.current.querySelectorAll<HTMLElement>('button, input, select, summary, [tabindex="0"]'),
            ].filter((el) => !(el as HTMLButtonElement).disabled);
            const [first, last] = [all[0], all[all.length - 1]];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <div className="modal-head">
          <h2 id="interop-title">Import / export</h2>
          <button type="button" onClick={onClose} ref={closeRef}>
            Close
          </button>
        </div>
        {me && codebook ? (
          <ImportSection
            sessionId={sessionId}
            me={me}
            codebook={codebook}
            onImported={(p) => {
              onImported(p);
              closeRef.current?.focus();
            }}
          />
        ) : (
          <p className="muted">Choose who is rating (top right) to import annotations.</p>
        )}
        <ExportSection sessionId={sessionId} />
      </div>
    </div>
  );
}
