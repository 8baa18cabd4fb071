import { useCallback, useEffect, useMemo, useState, type DragEvent, type FormEvent } from 'react';
import type { CaseWithSessions, ImportJob, Recording, SessionWithRecordings } from '../../../shared/domain';
import { formatDuration } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { useImports } from './useImports';

export function LibraryView({ onOpen }: { onOpen: (sessionId: number) => void }) {
  const [cases, setCases] = useState<CaseWithSessions[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);

  const refresh = useCallback(() => {
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
        <button type="button" onClick={() => (window.location.hash = '#/codebook')}>
          Codebook
        </button>
        <button type="button" className="primary" onClick={() => setCreating(true)} aria-expanded={creating}>
          + Case
        </button>
      </header>
      <InlineError message={loadError} />
      {imports.notices.map((n) => (
        <InlineError
          key={n.job.id}
          message={`${n.job.fileName} was not imported: ${n.error?.message ?? ''}`}
          onDismiss={() => imports.dismiss(n.job.id)}
        />
      ))}
      {creating && (
        <CaseForm
          onDone={(created) => {
            setCreating(false);
            if (created) refresh();
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
        </section>
      )}
      <ul className="cases" aria-label="Cases">
        {shown.map((c) => (
          <CaseItem key={c.id} item={c} jobs={imports.jobs} onChanged={refresh} onOpen={onOpen} />
        ))}
      </ul>
    </div>
  );
}

function CaseForm({ existing, onDone }: { existing?: CaseWithSessions; onDone: (changed: boolean) => void }) {
  const [code, setCode] = useState(existing?.code ?? '');
  const [therapist, setTherapist] = useState(existing?.therapist ?? '');
  const [notes, setNotes] = useState(existing?.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      if (existing) await api.call('cases:update', { id: existing.id, code, therapist, notes });
      else await api.call('cases:create', { code, therapist, notes });
      onDone(true);
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

function CaseItem(props: {
  item: CaseWithSessions;
  jobs: ImportJob[];
  onChanged: () => void;
  onOpen: (id: number) => void;
}) {
  const { item, jobs, onChanged, onOpen } = props;
  const [mode, setMode] = useState<'view' | 'edit' | 'delete' | 'newSession'>('view');
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
        <button type="button" onClick={() => setMode('newSession')}>
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
        <Confirm
          text={`Delete case ${item.code} and its ${item.sessions.length} sessions from the library? Media files stay on disk.`}
          action="Delete case"
          onConfirm={() => void remove()}
          onCancel={() => setMode('view')}
        />
      )}
      {mode === 'newSession' && (
        <SessionForm
          caseId={item.id}
          suggested={Math.max(0, ...item.sessions.map((s) => s.number)) + 1}
          onDone={(changed) => {
            setMode('view');
            if (changed) onChanged();
          }}
        />
      )}
      <InlineError message={error} />
      {item.sessions.length === 0 && mode !== 'newSession' && (
        <p className="muted empty-line">No sessions yet. Add one with + Session, then import its recordings.</p>
      )}
      <ul className="sessions" aria-label={`Sessions of ${item.code}`}>
        {item.sessions.map((s) => (
          <SessionItem
            key={s.id}
            caseCode={item.code}
            session={s}
            jobs={jobs.filter((j) => j.sessionId === s.id)}
            onChanged={onChanged}
            onOpen={onOpen}
          />
        ))}
      </ul>
    </li>
  );
}

function SessionForm(props: {
  caseId: number;
  suggested?: number;
  existing?: SessionWithRecordings;
  onDone: (changed: boolean) => void;
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
      if (existing) await api.call('sessions:update', { id: existing.id, ...fields });
      else await api.call('sessions:create', { caseId, ...fields });
      onDone(true);
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

function sessionDuration(s: SessionWithRecordings): number {
  return Math.max(0, ...s.recordings.map((r) => r.durationMs + r.offsetMs));
}

function SessionItem(props: {
  caseCode: string;
  session: SessionWithRecordings;
  jobs: ImportJob[];
  onChanged: () => void;
  onOpen: (id: number) => void;
}) {
  const { caseCode, session: s, jobs, onChanged, onOpen } = props;
  const [mode, setMode] = useState<'view' | 'edit' | 'delete' | 'import'>('view');
  const [error, setError] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const attention = s.recordings.filter((r) => r.state !== 'ready');
  const label = `Session ${s.number}`;

  const startImport = async (paths: string[], offsetMs = 0, copy = false) => {
    setError(null);
    try {
      const res = await api.call('recordings:import', { sessionId: s.id, paths, offsetMs, copy });
      if (res.rejected.length) setError(res.rejected.map((r) => r.error.message).join('\n'));
      if (res.started.length) setMode('view');
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
        <span className="muted">
          {s.recordings.length} {s.recordings.length === 1 ? 'recording' : 'recordings'}
        </span>
        <span className="tabular">{s.recordings.length ? formatDuration(sessionDuration(s)) : ''}</span>
        {s.modality && <span className="muted">{s.modality}</span>}
        <span className="spacer" />
        <button type="button" onClick={() => setMode('import')} aria-label={`Import recordings into ${label}`}>
          Import…
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
      {mode === 'import' && (
        <ImportForm onImport={(p, o, c) => void startImport(p, o, c)} onCancel={() => setMode('view')} />
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
        <Confirm
          text={`Delete ${label} of ${caseCode} and its ${s.recordings.length} recording references? The media files stay on disk.`}
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

function RelinkRow({ recording, onChanged }: { recording: Recording; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const why =
    recording.state === 'missing'
      ? `${recording.fileName} is not at ${recording.path} any more (moved, renamed or deleted).`
      : `The file at ${recording.path} is not the recording that was imported.`;
  const relink = async (p: string) => {
    try {
      await api.call('recordings:relink', { id: recording.id, path: p });
      setOpen(false);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const pick = async () => {
    if (api.host === 'electron') {
      const paths = await api.call('dialogs:openMedia', {});
      if (paths?.[0]) await relink(paths[0]);
    } else setOpen(true);
  };
  return (
    <div className="attention-row" role="status">
      <span>⚠ {why}</span>
      <button type="button" onClick={() => void pick()}>
        Relink…
      </button>
      {open && (
        <form
          className="inline-form"
          aria-label={`Relink ${recording.fileName}`}
          onSubmit={(e) => {
            e.preventDefault();
            void relink(path);
          }}
        >
          <label className="grow">
            New location of {recording.fileName}
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/file.mp4" autoFocus />
          </label>
          <div className="form-actions">
            <button type="submit" className="primary">
              Relink
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <InlineError message={error} />
    </div>
  );
}

function ImportForm(props: {
  onImport: (paths: string[], offsetMs: number, copy: boolean) => void;
  onCancel: () => void;
}) {
  const [paths, setPaths] = useState('');
  const [offset, setOffset] = useState('0');
  const [copy, setCopy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (list: string[]) => {
    const o = Number(offset);
    if (!Number.isInteger(o)) return setError('The offset is a whole number of milliseconds, e.g. 1500 or -250.');
    if (!list.length) return setError('Enter the path of at least one file.');
    props.onImport(list, o, copy);
  };
  const browse = async () => {
    const picked = await api.call('dialogs:openMedia', {});
    if (picked?.length) submit(picked);
  };
  return (
    <form
      className="inline-form"
      aria-label="Import recordings"
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          paths
            .split('\n')
            .map((p) => p.trim())
            .filter(Boolean),
        );
      }}
    >
      {api.host === 'browser' && (
        <label className="grow">
          File paths, one per line
          <textarea
            rows={2}
            value={paths}
            onChange={(e) => setPaths(e.target.value)}
            placeholder="/recordings/session1.mp4"
            autoFocus
          />
        </label>
      )}
      <label>
        Offset (ms)
        <input inputMode="numeric" value={offset} onChange={(e) => setOffset(e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={copy} onChange={(e) => setCopy(e.target.checked)} />
        Copy into the library folder
      </label>
      <div className="form-actions">
        {api.host === 'electron' ? (
          <button type="button" className="primary" onClick={() => void browse()}>
            Choose files…
          </button>
        ) : (
          <button type="submit" className="primary">
            Import
          </button>
        )}
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      <InlineError message={error} />
      <p className="hint">You can also drop files onto a session. By default a recording stays where it is.</p>
    </form>
  );
}

function Confirm(props: { text: string; action: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="confirm" role="alertdialog" aria-label={props.action}>
      <span>{props.text}</span>
      <button type="button" className="danger" onClick={props.onConfirm}>
        {props.action}
      </button>
      <button type="button" onClick={props.onCancel} autoFocus>
        Keep
      </button>
    </div>
  );
}
