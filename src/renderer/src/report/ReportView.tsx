import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';

/**
 * The supervision report, as it will print: the page the command line turns into a PDF, shown in a
 * frame that runs no script. "Print or save as PDF" opens the system's print dialog for it (Save
 * as PDF is one of its destinations, in Electron and in a browser alike).
 */
export function ReportView(props: {
  /** A session's supervision report, or a case's summary across sessions. */
  of: { sessionId: number } | { caseId: number };
  onBack: () => void;
}) {
  const { of, onBack } = props;
  const key = JSON.stringify(of);
  const [html, setHtml] = useState<string | null>(null);
  const [names, setNames] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    setHtml(null);
    const target = JSON.parse(key) as typeof of;
    const call =
      'caseId' in target
        ? api.call('report:caseHtml', { caseId: target.caseId, names })
        : api.call('report:html', { sessionId: target.sessionId, names });
    call.then(
      (r) => {
        setHtml(r.html);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [key, names]);
  const [saved, setSaved] = useState<string | null>(null);
  const savePdf = async () => {
    try {
      const r = await api.call('report:savePdf', { ...of, names });
      if (r.path) setSaved(`Saved ${r.path}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const print = () => {
    const w = frame.current?.contentWindow;
    if (!w) return;
    w.focus();
    w.print();
  };
  return (
    <div className="report-view">
      <header className="toolbar">
        <button type="button" onClick={onBack}>
          ← {'caseId' in of ? 'Case' : 'Session'}
        </button>
        <h1>{'caseId' in of ? 'Case summary' : 'Supervision report'}</h1>
        <span className="spacer" />
        <label className="checkbox">
          <input type="checkbox" checked={names} onChange={(e) => setNames(e.target.checked)} /> Include names
          (therapist, raters, session notes)
        </label>
        {api.host === 'electron' && (
          <button type="button" className="primary" onClick={() => void savePdf()} disabled={!html} autoFocus>
            Save as PDF…
          </button>
        )}
        <button
          type="button"
          className={api.host === 'electron' ? '' : 'primary'}
          onClick={print}
          disabled={!html}
          autoFocus={api.host !== 'electron'}
        >
          Print or save as PDF…
        </button>
      </header>
      {names && (
        <p className="privacy report-warning" role="note">
          This report now names people. Share it only where the session record itself may go.
        </p>
      )}
      <InlineError message={error} />
      {saved && (
        <p className="report-warning small" role="status">
          {saved}
        </p>
      )}
      <main className="report-frame" aria-busy={html === null && !error}>
        {html !== null && (
          <iframe
            ref={frame}
            title={'caseId' in of ? 'Case summary' : 'Supervision report'}
            srcDoc={html}
            // No scripts in the report; same origin only so that the print dialog can be opened for it.
            sandbox="allow-same-origin allow-modals"
          />
        )}
      </main>
    </div>
  );
}
