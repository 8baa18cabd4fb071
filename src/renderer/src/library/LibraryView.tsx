import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseWithSessions } from '../../../shared/domain';
import type { FeedbackCount } from '../../../shared/feedback';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { useImports } from './useImports';
import { CaseForm, CaseItem } from './CaseItem';
import { LibrarySearch } from '../interop/LibrarySearch';
import { useLock } from '../lock/LockGate';
import { ReceiveSupervision } from '../supervision/SupervisionForms';

export function LibraryView({ onOpen }: { onOpen: (sessionId: number) => void }) {
  const [cases, setCases] = useState<CaseWithSessions[] | null>(null);
  const [focusCase, setFocusCase] = useState<string | null>(null);
  useEffect(() => {
    if (!focusCase || !cases?.some((c) => c.code.toLowerCase() === focusCase.toLowerCase())) return;
    const found = [
      ...document.querySelectorAll<HTMLButtonElement>('li.case button[aria-label^="Add a session to case "]'),
    ].find((b) => b.getAttribute('aria-label')!.toLowerCase() === `add a session to case ${focusCase.toLowerCase()}`);
    found?.focus();
    setFocusCase(null);
  }, [cases, focusCase]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [receiving, setReceiving] = useState(false);
  const lock = useLock();

  const [feedback, setFeedback] = useState<Map<number, FeedbackCount>>(new Map());
  const refresh = useCallback(() => {
    // Comments waiting for the current rater, per session (nothing for observers and patients).
    api.call('feedback:counts', {}).then(
      (list) => setFeedback(new Map(list.map((c) => [c.sessionId, c]))),
      () => setFeedback(new Map()),
    );
    api.call('cases:list', {}).then(
      (list) => {
        setCases(list);
        setLoadError(null);
      },
      (e: unknown) => setLoadError(errorMessage(e)),
    );
  }, []);
  useEffect(refresh, [refresh]);
  const imports = useImports(refresh);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!cases || !q) return cases ?? [];
    return cases.filter((c) => c.code.toLowerCase().includes(q) || c.therapist.toLowerCase().includes(q));
  }, [cases, query]);

  return (
    <div className="library">
      <header className="toolbar">
        <h1>Cases</h1>
        <input
          type="search"
          aria-label="Search cases"
          placeholder="Search client code or therapist…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="spacer" />
        <button type="button" onClick={() => (window.location.hash = '#/study')}>
          Agreement
        </button>
        <button type="button" onClick={() => (window.location.hash = '#/packages')}>
          Packages
        </button>
        <button
          type="button"
          onClick={() => setReceiving(true)}
          aria-expanded={receiving}
          title="Receive a supervision file from the other computer"
        >
          Receive…
        </button>
        <button type="button" onClick={() => (window.location.hash = '#/audit')}>
          Audit &amp; backups
        </button>
        {lock?.status.protected && (
          <button type="button" onClick={lock.lockNow} title="Hide everything until the passphrase is given">
            Lock
          </button>
        )}
        <button type="button" onClick={() => (window.location.hash = '#/codebook')}>
          Codebook
        </button>
        <button type="button" className="primary" onClick={() => setCreating(true)} aria-expanded={creating}>
          + Case
        </button>
      </header>
      <InlineError message={loadError} />
      {receiving && <ReceiveSupervision onDone={() => setReceiving(false)} onReceived={() => refresh()} />}
      <LibrarySearch onOpen={onOpen} />
      {imports.notices.map((n) => (
        <InlineError
          key={n.job.id}
          message={`${n.job.fileName} was not imported: ${n.error?.message ?? ''}`}
          onDismiss={() => imports.dismiss(n.job.id)}
        />
      ))}
      {creating && (
        <CaseForm
          onDone={(created, code) => {
            setCreating(false);
            if (created) refresh();
            // The new case gets the focus (on its "+ Session", the next step), once it is listed.
            if (code) setFocusCase(code);
          }}
        />
      )}
      {cases && cases.length === 0 && !creating && (
        <section className="empty" aria-label="Getting started">
          <h2>No cases yet</h2>
          <p>
            Start with <strong>+ Case</strong>: give the client a pseudonymous code such as <code>C-014</code> (never a
            name), add a session, then import its recordings. Video, audio, or both; several files per session are fine.
          </p>
          <p className="muted">
            From a terminal: <code>alliance-review import session1.mp4 --case C-014 --session 1</code>
          </p>
          {lock && !lock.status.protected && (
            <p>
              Recordings of therapy are health data. Before the first import, consider{' '}
              <button type="button" className="link" onClick={() => (window.location.hash = '#/audit')}>
                protecting this library with a passphrase
              </button>{' '}
              (a supervisor does it once; the library, its backups and copied recordings are then encrypted on disk).
            </p>
          )}
        </section>
      )}
      <ul className="cases" aria-label="Cases">
        {shown.map((c) => (
          <CaseItem key={c.id} item={c} jobs={imports.jobs} feedback={feedback} onChanged={refresh} onOpen={onOpen} />
        ))}
      </ul>
    </div>
  );
}
