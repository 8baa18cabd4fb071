import type { FeedbackCount } from '../../../shared/feedback';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CaseWithSessions, ImportJob } from '../../../shared/domain';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { DeleteConfirm } from './DeleteConfirm';
import { SessionForm, SessionItem } from './SessionItem';

export function CaseForm({
  existing,
  onDone,
}: {
  existing?: CaseWithSessions;
  /** `created`: the new case's code (so the library can give it the focus). */
  onDone: (changed: boolean, created?: string) => void;
}) {
  const [code, setCode] = useState(existing?.code ?? '');
  const [therapist, setTherapist] = useState(existing?.therapist ?? '');
  const [notes, setNotes] = useState(existing?.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      if (existing) {
        await api.call('cases:update', { id: existing.id, code, therapist, notes });
        onDone(true);
      } else {
        await api.call('cases:create', { code, therapist, notes });
        onDone(true, code.trim());
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={existing ? 'Edit case' : 'New case'}>
      <label>
        Client code
        <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="C-014" autoFocus required />
      </label>
      <label>
        Therapist
        <input value={therapist} onChange={(e) => setTherapist(e.target.value)} />
      </label>
      <label className="grow">
        Notes
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary">
          {existing ? 'Save case' : 'Create case'}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
      <InlineError message={error} />
      {!existing && <p className="hint">Use a pseudonymous code, never the client&apos;s name.</p>}
    </form>
  );
}

export function CaseItem(props: {
  item: CaseWithSessions;
  jobs: ImportJob[];
  feedback: Map<number, FeedbackCount>;
  onChanged: () => void;
  onOpen: (id: number) => void;
}) {
  const { item, jobs, feedback, onChanged, onOpen } = props;
  const [mode, setMode] = useState<'view' | 'edit' | 'delete' | 'newSession'>('view');
  // A session just created gets the focus on its Import… (the next step), once it is listed.
  const [focusSession, setFocusSession] = useState<number | null>(null);
  const sessionsRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (focusSession === null || !item.sessions.some((s) => s.number === focusSession)) return;
    sessionsRef.current
      ?.querySelector<HTMLButtonElement>(`button[aria-label="Import recordings into Session ${focusSession}"]`)
      ?.focus();
    setFocusSession(null);
  }, [item.sessions, focusSession]);
  const [error, setError] = useState<string | null>(null);
  const lastDate = item.sessions
    .map((s) => s.date)
    .filter(Boolean)
    .sort()
    .at(-1);
  const remove = async () => {
    try {
      await api.call('cases:delete', { id: item.id });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <li className="case" aria-label={`Case ${item.code}`}>
      <div className="case-head">
        <h2>{item.code}</h2>
        <span className="muted">
          {item.therapist && <>{item.therapist} · </>}
          {item.sessions.length} {item.sessions.length === 1 ? 'session' : 'sessions'}
          {lastDate && <> · last {lastDate}</>}
        </span>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => (window.location.hash = `#/case/${item.id}`)}
          aria-label={`Overview of case ${item.code}`}
        >
          Overview
        </button>
        <button type="button" onClick={() => setMode('newSession')} aria-label={`Add a session to case ${item.code}`}>
          + Session
        </button>
        <button type="button" onClick={() => setMode('edit')} aria-label={`Edit case ${item.code}`}>
          Edit
        </button>
        <button type="button" onClick={() => setMode('delete')} aria-label={`Delete case ${item.code}`}>
          Delete
        </button>
      </div>
      {mode === 'edit' && (
        <CaseForm
          existing={item}
          onDone={(changed) => {
            setMode('view');
            if (changed) onChanged();
          }}
        />
      )}
      {mode === 'delete' && (
        <DeleteConfirm
          what={{ caseId: item.id }}
          title={`Delete case ${item.code} from the library?`}
          action="Delete case"
          onConfirm={() => void remove()}
          onCancel={() => setMode('view')}
        />
      )}
      {mode === 'newSession' && (
        <SessionForm
          caseId={item.id}
          suggested={Math.max(0, ...item.sessions.map((s) => s.number)) + 1}
          onDone={(changed, created) => {
            setMode('view');
            if (created !== undefined) setFocusSession(created);
            if (changed) onChanged();
          }}
        />
      )}
      <InlineError message={error} />
      {item.sessions.length === 0 && mode !== 'newSession' && (
        <p className="muted empty-line">No sessions yet. Add one with + Session, then import its recordings.</p>
      )}
      <ul className="sessions" aria-label={`Sessions of ${item.code}`} ref={sessionsRef}>
        {item.sessions.map((s) => (
          <SessionItem
            key={s.id}
            caseCode={item.code}
            session={s}
            jobs={jobs.filter((j) => j.sessionId === s.id)}
            feedback={feedback.get(s.id)}
            onChanged={onChanged}
            onOpen={onOpen}
          />
        ))}
      </ul>
    </li>
  );
}
