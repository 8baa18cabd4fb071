import { useCallback, useEffect, useRef, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { SupervisionHistoryView, SupervisionPreviewView, SupervisionReportView } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { FileField, PassphraseFields } from '../packages/PackageParts';
import { InlineError } from '../ui/InlineError';

/**
 * "Send for supervision": a session's file for the other computer (the trainee's to their
 * supervisor, the supervisor's back). What will be shared, and what will not (and why), is shown
 * before anything is written, and follows the choices as they change.
 */
export function SendForSupervision(props: { sessionId: number; label: string; onDone: () => void }) {
  const { sessionId, label, onDone } = props;
  const [me, setMe] = useState<Rater | null>(null);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [to, setTo] = useState('');
  const [draft, setDraft] = useState(false);
  const [releaseCoding, setReleaseCoding] = useState(false);
  const [includeMedia, setIncludeMedia] = useState(false);
  const [out, setOut] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [preview, setPreview] = useState<SupervisionPreviewView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<SupervisionReportView | null>(null);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void Promise.all([api.call('raters:current', {}), api.call('raters:list', {})]).then(([current, all]) => {
      setMe(current);
      setRaters(all.filter((r) => !r.consensus && r.id !== current?.id));
      // The usual other side: a trainee sends to a supervisor, a supervisor to a trainee.
      const other = all.find(
        (r) => r.id !== current?.id && r.role === (current?.role === 'supervisor' ? 'trainee' : 'supervisor'),
      );
      if (other) setTo((t) => t || other.name);
    });
    first.current?.focus();
  }, []);

  useEffect(() => {
    if (!to.trim()) return setPreview(null);
    let live = true;
    const t = setTimeout(() => {
      api
        .call('supervision:preview', { sessionId, to, draft, releaseCoding, includeMedia })
        .then((p) => {
          if (!live) return;
          setPreview(p);
          setError(null);
        })
        .catch((e: unknown) => live && (setPreview(null), setError(errorMessage(e))));
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [sessionId, to, draft, releaseCoding, includeMedia]);

  const send = async () => {
    setBusy(true);
    try {
      setSent(
        await api.call('supervision:send', { sessionId, to, draft, releaseCoding, includeMedia, out, passphrase }),
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (sent)
    return (
      <section className="supervision-panel" aria-label={`Sent ${label} for supervision`} role="status">
        <h2>
          Sent for {sent.to}: case {sent.caseCode} · session {sent.number}
        </h2>
        <ul>
          {sent.changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        {sent.notes.length > 0 && <p className="small">Not shared: {sent.notes.join('; ')}.</p>}
        <p className="muted small">
          Written: {sent.file}
          {sent.bytes !== undefined ? ` (${Math.max(1, Math.round(sent.bytes / 1024))} KiB)` : ''}. Give it to {sent.to}{' '}
          through your clinic’s shared folder or secure mail, and the passphrase another way.
        </p>
        <button type="button" onClick={onDone} autoFocus>
          Close
        </button>
      </section>
    );

  return (
    <form
      className="inline-form packages-form supervision-panel"
      aria-label={`Send ${label} for supervision`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <h2>Send for supervision</h2>
      <p className="muted small">
        {me ? `As ${me.name} (${me.role}). ` : ''}The file is sealed with a passphrase; only what is listed under
        “Shared” leaves this computer.
      </p>
      <label>
        To
        <input
          ref={first}
          type="text"
          list="supervision-people"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          required
          autoComplete="off"
        />
        <datalist id="supervision-people">
          {raters.map((r) => (
            <option key={r.id} value={r.name}>
              {r.role}
            </option>
          ))}
        </datalist>
      </label>
      {me?.role === 'supervisor' && (
        <label className="checkbox">
          <input type="checkbox" checked={releaseCoding} onChange={(e) => setReleaseCoding(e.target.checked)} /> Release
          my own coding of this session
        </label>
      )}
      {(me?.role !== 'supervisor' || releaseCoding) && (
        <label className="checkbox">
          <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} />{' '}
          {me?.role === 'supervisor' ? '…even if it is not submitted' : 'Send my self-review even if it is a draft'}
        </label>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={includeMedia} onChange={(e) => setIncludeMedia(e.target.checked)} /> Include the
        recordings (a large file; otherwise the other computer links its own copy by fingerprint)
      </label>
      {preview && (
        <div className="supervision-preview" aria-label="What will be shared">
          <h3>Shared</h3>
          <ul>
            {preview.shares.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          {preview.leftOut.length > 0 && (
            <>
              <h3>Not shared</h3>
              <ul>
                {preview.leftOut.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <FileField
        label="Save as"
        value={out}
        onChange={setOut}
        mode="save"
        suggested={`${preview ? `${preview.caseCode} session ${preview.number}` : 'session'} for ${to || 'supervision'}.arsup`.replace(
          /[^\p{L}\p{N} ._-]/gu,
          '',
        )}
      />
      <PassphraseFields value={passphrase} onChange={setPassphrase} confirm />
      <InlineError message={error} onDismiss={() => setError(null)} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !preview || !out || !passphrase}>
          {busy ? 'Sending…' : 'Send'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "Receive": a supervision file from the other computer; afterwards, what changed. */
export function ReceiveSupervision(props: { onDone: () => void; onReceived: (r: SupervisionReportView) => void }) {
  const { onDone, onReceived } = props;
  const [file, setFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<SupervisionReportView | null>(null);
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.querySelector('input')?.focus(), []);

  const receive = async () => {
    setBusy(true);
    try {
      const r = await api.call('supervision:receive', { file, passphrase });
      setReport(r);
      setError(null);
      onReceived(r);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (report)
    return (
      <section className="supervision-panel" aria-label="Received for supervision" role="status">
        <h2>
          From {report.from}: case {report.caseCode} · session {report.number}
          {report.alreadyDone ? ' — nothing changed' : report.createdSession ? ' (new here)' : ''}
        </h2>
        <ul>
          {report.changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        {report.notes.map((n) => (
          <p key={n} className="small">
            {n}
          </p>
        ))}
        <div className="form-actions">
          {!window.location.hash.startsWith(`#/session/${report.sessionId}`) && (
            <a href={`#/session/${report.sessionId}`}>Open the session</a>
          )}
          <button type="button" onClick={onDone} autoFocus>
            Close
          </button>
        </div>
      </section>
    );

  return (
    <form
      className="inline-form packages-form supervision-panel"
      aria-label="Receive a supervision file"
      onSubmit={(e) => {
        e.preventDefault();
        void receive();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <h2>Receive a supervision file</h2>
      <p className="muted small">
        The first file of a session makes it here; every later one adds what is new (the same file twice changes
        nothing).
      </p>
      <div ref={first} className="grow">
        <FileField label="File" value={file} onChange={setFile} mode="open" />
      </div>
      <PassphraseFields value={passphrase} onChange={setPassphrase} confirm={false} />
      <InlineError message={error} onDismiss={() => setError(null)} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !file || !passphrase}>
          {busy ? 'Receiving…' : 'Receive'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The Feedback tab's line for supervision between computers: when the session was last sent and
 * received, and the two ways in.
 */
export function SupervisionLine(props: { sessionId: number; onReceived: () => void }) {
  const { sessionId, onReceived } = props;
  const [open, setOpen] = useState<'send' | 'receive' | null>(null);
  const [history, setHistory] = useState<SupervisionHistoryView[]>([]);
  const opener = useRef<HTMLButtonElement | null>(null);
  const load = useCallback(() => {
    api.call('supervision:history', { sessionId }).then(setHistory, () => setHistory([]));
  }, [sessionId]);
  useEffect(load, [load]);
  const lastSent = history.find((h) => h.direction === 'sent');
  const lastReceived = history.find((h) => h.direction === 'received');
  const when = (iso: string) =>
    new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const close = () => {
    setOpen(null);
    load();
    requestAnimationFrame(() => opener.current?.focus());
  };
  return (
    <div className="supervision-line">
      <div className="fb-bar">
        <button
          type="button"
          onClick={(e) => {
            opener.current = e.currentTarget;
            setOpen('send');
          }}
          aria-expanded={open === 'send'}
        >
          Send for supervision…
        </button>
        <button
          type="button"
          onClick={(e) => {
            opener.current = e.currentTarget;
            setOpen('receive');
          }}
          aria-expanded={open === 'receive'}
        >
          Receive…
        </button>
        <span className="muted small">
          {lastSent ? `Sent to ${lastSent.peer} ${when(lastSent.createdAt)}` : 'Not sent yet'}
          {lastReceived ? ` · received from ${lastReceived.peer} ${when(lastReceived.createdAt)}` : ''}
        </span>
      </div>
      {open === 'send' && <SendForSupervision sessionId={sessionId} label="this session" onDone={close} />}
      {open === 'receive' && (
        <ReceiveSupervision
          onDone={close}
          onReceived={() => {
            load();
            onReceived();
          }}
        />
      )}
    </div>
  );
}
