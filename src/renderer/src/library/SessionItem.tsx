import type { FeedbackCount } from '../../../shared/feedback';
import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { ImportJob, SessionWithRecordings } from '../../../shared/domain';
import { formatDuration } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { sessionDurationMs } from '../../../shared/segment-rules';
import { DeleteConfirm } from './DeleteConfirm';
import { ImportForm, RelinkRow } from './RecordingForms';
import { AlignOffer } from './AlignOffer';
import { SendForSupervision } from '../supervision/SupervisionForms';

export function SessionForm(props: {
  caseId: number;
  suggested?: number;
  existing?: SessionWithRecordings;
  /** `created`: the new session's number (the case gives it the focus). */
  onDone: (changed: boolean, created?: number) => void;
}) {
  const { caseId, suggested, existing, onDone } = props;
  const [number, setNumber] = useState(String(existing?.number ?? suggested ?? 1));
  const [date, setDate] = useState(existing ? (existing.date ?? '') : new Date().toISOString().slice(0, 10));
  const [modality, setModality] = useState(existing?.modality ?? '');
  const [notes, setNotes] = useState(existing?.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(number);
    if (!Number.isInteger(n) || n < 1) return setError('Session numbers are whole numbers from 1.');
    try {
      const fields = { number: n, date: date || null, modality, notes };
      if (existing) {
        await api.call('sessions:update', { id: existing.id, ...fields });
        onDone(true);
      } else {
        await api.call('sessions:create', { caseId, ...fields });
        onDone(true, n);
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form
      className="inline-form"
      onSubmit={(e) => void submit(e)}
      aria-label={existing ? 'Edit session' : 'New session'}
    >
      <label>
        Session number
        <input inputMode="numeric" value={number} onChange={(e) => setNumber(e.target.value)} autoFocus required />
      </label>
      <label>
        Date
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <label>
        Modality
        <input value={modality} onChange={(e) => setModality(e.target.value)} placeholder="e.g. CBT, video call" />
      </label>
      <label className="grow">
        Notes
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary">
          {existing ? 'Save session' : 'Create session'}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
      <InlineError message={error} />
    </form>
  );
}

export function SessionItem(props: {
  caseCode: string;
  session: SessionWithRecordings;
  jobs: ImportJob[];
  /** Feedback on this session for the current rater (absent when there is none, or they take no part). */
  feedback?: FeedbackCount;
  onChanged: () => void;
  onOpen: (id: number) => void;
}) {
  const { caseCode, session: s, jobs, feedback, onChanged, onOpen } = props;
  const [mode, setModeOnly] = useState<'view' | 'edit' | 'delete' | 'import' | 'send'>('view');
  const [error, setError] = useState<string | null>(null);
  // Each step starts clean: a message from an earlier attempt does not stay into the next.
  const setMode = (m: 'view' | 'edit' | 'delete' | 'import' | 'send') => {
    setError(null);
    setModeOnly(m);
  };
  // After several recordings were imported together: alignment by sound is offered once they land.
  const [alignWanted, setAlignWanted] = useState(false);
  const withSound = s.recordings.filter((r) => r.hasAudio && r.state === 'ready').length;
  const [dragOver, setDragOver] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);
  const sendButton = useRef<HTMLButtonElement>(null);
  const attention = s.recordings.filter((r) => r.state !== 'ready');
  const label = `Session ${s.number}`;

  const startImport = async (paths: string[], offsetMs = 0, copy = false, offsetsMs?: number[]) => {
    setError(null);
    try {
      const res = await api.call('recordings:import', { sessionId: s.id, paths, offsetMs, offsetsMs, copy });
      if (res.rejected.length)
        setError(`Nothing was imported.\n${res.rejected.map((r) => r.error.message).join('\n')}`);
      if (res.started.length) {
        setModeOnly('view');
        // The form closes: the focus goes back to the Import… button it came from, not the page.
        requestAnimationFrame(() => importButton.current?.focus());
        // Offsets left at 0 for several files: offer to find them by sound once they are in.
        if (paths.length > 1 || s.recordings.length > 0) setAlignWanted(!offsetsMs?.some((o) => o !== 0));
      }
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    const paths = [...e.dataTransfer.files].map((f) => api.pathForFile(f)).filter((p): p is string => !!p);
    if (paths.length) void startImport(paths);
    else setError('Dropped files carry no path in the browser host. Use Import… and type the path instead.');
  };
  const remove = async () => {
    try {
      await api.call('sessions:delete', { id: s.id });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <li
      className={`session${dragOver ? ' drag-over' : ''}`}
      aria-label={`${caseCode} ${label}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={onDrop}
    >
      <div className="session-row">
        <button
          type="button"
          className="session-open"
          onClick={() => onOpen(s.id)}
          aria-label={`Open ${label}`}
          disabled={s.recordings.length === 0}
          title={s.recordings.length === 0 ? 'Import a recording first' : 'Open the review player'}
        >
          {label}
        </button>
        <span className="tabular muted">{s.date ?? 'no date'}</span>
        <SessionState session={s} jobs={jobs} />
        {/* "○ no recordings" already says it when there are none: no "0 recordings" beside it. */}
        {s.recordings.length > 0 && (
          <span className="muted">
            {s.recordings.length} {s.recordings.length === 1 ? 'recording' : 'recordings'}
          </span>
        )}
        <span className="tabular">{s.recordings.length ? formatDuration(sessionDurationMs(s.recordings)) : ''}</span>
        {s.modality && <span className="muted">{s.modality}</span>}
        {feedback && feedback.threads > 0 && (
          <span className={feedback.unread ? 'fb-count unread' : 'fb-count muted'}>
            {feedback.threads} {feedback.threads === 1 ? 'comment' : 'comments'}
            {feedback.unread ? ` · ${feedback.unread} new` : ''}
            {feedback.open ? ` · ${feedback.open} open` : ''}
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          ref={importButton}
          onClick={() => setMode('import')}
          aria-label={`Import recordings into ${label}`}
        >
          Import…
        </button>
        <button
          type="button"
          ref={sendButton}
          onClick={() => setMode('send')}
          aria-expanded={mode === 'send'}
          aria-label={`Send for supervision: ${label}`}
          title="Send this session to the other computer (the trainee's or the supervisor's)"
        >
          Send for supervision…
        </button>
        <button type="button" onClick={() => setMode('edit')} aria-label={`Edit ${label}`}>
          Edit
        </button>
        <button type="button" onClick={() => setMode('delete')} aria-label={`Delete ${label}`}>
          Delete
        </button>
      </div>
      {jobs.map((j) => (
        <JobRow key={j.id} job={j} />
      ))}
      {attention.map((r) => (
        <RelinkRow key={r.id} recording={r} onChanged={onChanged} />
      ))}
      {alignWanted && jobs.length === 0 && withSound > 1 && (
        <AlignOffer
          sessionId={s.id}
          label={`${caseCode} ${label}`}
          onDone={(changed) => {
            setAlignWanted(false);
            if (changed) onChanged();
          }}
        />
      )}
      {mode === 'import' && (
        <ImportForm onImport={(p, o, c, each) => void startImport(p, o, c, each)} onCancel={() => setMode('view')} />
      )}
      {mode === 'send' && (
        <SendForSupervision
          sessionId={s.id}
          label={`${caseCode} ${label}`}
          onDone={() => {
            setMode('view');
            requestAnimationFrame(() => sendButton.current?.focus());
          }}
        />
      )}
      {mode === 'edit' && (
        <SessionForm
          caseId={s.caseId}
          existing={s}
          onDone={(changed) => {
            setMode('view');
            if (changed) onChanged();
          }}
        />
      )}
      {mode === 'delete' && (
        <DeleteConfirm
          what={{ sessionId: s.id }}
          title={`Delete ${label} of ${caseCode}?`}
          action="Delete session"
          onConfirm={() => void remove()}
          onCancel={() => setMode('view')}
        />
      )}
      <InlineError message={error} onDismiss={() => setError(null)} />
    </li>
  );
}

function SessionState({ session, jobs }: { session: SessionWithRecordings; jobs: ImportJob[] }) {
  if (jobs.length) {
    const pct = Math.round(jobs.reduce((a, j) => a + j.percent, 0) / jobs.length);
    return <span className="state indexing">◐ indexing {pct} %</span>;
  }
  if (session.recordings.some((r) => r.state !== 'ready')) {
    return <span className="state attention">⚠ needs attention</span>;
  }
  if (session.recordings.length === 0) return <span className="state empty-state">○ no recordings</span>;
  return <span className="state ready">● ready</span>;
}

function JobRow({ job }: { job: ImportJob }) {
  const verb =
    job.phase === 'copying'
      ? 'Copying'
      : job.phase === 'saving'
        ? 'Saving'
        : job.phase === 'queued'
          ? 'Waiting'
          : 'Indexing';
  return (
    <div className="job" aria-label={`Import of ${job.fileName}`}>
      <span className="file">{job.fileName}</span>
      <span className="muted">{verb}</span>
      <progress max={100} value={job.percent} aria-label={`${verb} ${job.fileName}`} />
      <span className="tabular">{job.percent} %</span>
      <button type="button" onClick={() => void api.call('imports:cancel', { jobId: job.id })}>
        Cancel
      </button>
    </div>
  );
}
