import { useState } from 'react';
import type { LockStatusView } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { useLock } from '../lock/LockGate';

const AUTO_LOCK = [0, 5, 10, 15, 30, 60, 120];

type Form = 'protect' | 'change' | 'unprotect' | null;

/**
 * Protecting the library with a passphrase: the database and its backups encrypted on disk, the
 * app locking itself after a while without use, the key kept in the system keychain on request.
 */
export function ProtectionSection() {
  const lock = useLock();
  const [form, setForm] = useState<Form>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!lock) return null;
  const { status, setStatus } = lock;
  const act = (work: () => Promise<LockStatusView>, done: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    work()
      .then(
        (s) => {
          setStatus(s);
          setMessage(done);
          setForm(null);
        },
        (e: unknown) => setError(errorMessage(e)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <section className="packages-section" aria-labelledby="protection-heading">
      <div className="toolbar-inline">
        <h2 id="protection-heading">Passphrase protection</h2>
        {status.protected ? (
          <>
            <button type="button" onClick={lock.lockNow}>
              Lock now
            </button>
            <button
              type="button"
              aria-expanded={form === 'change'}
              onClick={() => setForm(form === 'change' ? null : 'change')}
            >
              Change passphrase…
            </button>
            <button
              type="button"
              aria-expanded={form === 'unprotect'}
              onClick={() => setForm(form === 'unprotect' ? null : 'unprotect')}
            >
              Remove protection…
            </button>
          </>
        ) : (
          <button
            type="button"
            className="primary"
            aria-expanded={form === 'protect'}
            onClick={() => setForm(form === 'protect' ? null : 'protect')}
          >
            Protect this library with a passphrase…
          </button>
        )}
      </div>
      <p className="muted small">
        {status.protected
          ? 'The library and its backups are encrypted on this disk. Without the passphrase nobody can open them — not even you: keep it somewhere safe.'
          : 'The library is stored unencrypted: anyone who can read this computer’s disk can read it. Protecting it encrypts the library and its backups; the app then asks for the passphrase when it starts and after a while without use.'}
      </p>
      {status.protected && (
        <div className="toolbar-inline">
          <label>
            Lock after{' '}
            <select
              value={status.autoLockMinutes}
              disabled={busy}
              onChange={(e) => {
                const minutes = Number(e.target.value);
                act(
                  () => api.call('lock:setAutoLock', { minutes }),
                  minutes
                    ? `The app locks after ${minutes} minutes without use.`
                    : 'The app no longer locks by itself.',
                );
              }}
            >
              {AUTO_LOCK.map((m) => (
                <option key={m} value={m}>
                  {m ? `${m} minutes without use` : 'never (lock by hand)'}
                </option>
              ))}
            </select>
          </label>
          {status.remembered && (
            <button
              type="button"
              onClick={() =>
                act(
                  () => api.call('lock:forget', {}),
                  'This computer no longer keeps the key; the passphrase is asked at start.',
                )
              }
            >
              Forget on this computer
            </button>
          )}
        </div>
      )}
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {form === 'protect' && (
        <NewPassphraseForm
          label="Protect this library"
          submit="Encrypt the library"
          status={status}
          busy={busy}
          onSubmit={(next, remember) =>
            act(
              () => api.call('lock:protect', { passphrase: next, remember }),
              'The library and its backups are now encrypted.',
            )
          }
        />
      )}
      {form === 'change' && (
        <NewPassphraseForm
          label="Change the passphrase"
          submit="Change passphrase"
          status={status}
          busy={busy}
          askCurrent
          onSubmit={(next, _remember, current) =>
            act(
              () => api.call('lock:changePassphrase', { current: current ?? '', next }),
              'The passphrase is changed. The old one no longer opens the library.',
            )
          }
        />
      )}
      {form === 'unprotect' && (
        <UnprotectForm
          busy={busy}
          onSubmit={(p) =>
            act(() => api.call('lock:unprotect', { passphrase: p }), 'The library is no longer encrypted.')
          }
        />
      )}
    </section>
  );
}

function NewPassphraseForm(props: {
  label: string;
  submit: string;
  status: LockStatusView;
  busy: boolean;
  askCurrent?: boolean;
  onSubmit: (next: string, remember: boolean, current?: string) => void;
}) {
  const { label, submit, status, busy, askCurrent, onSubmit } = props;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [remember, setRemember] = useState(false);
  const short = [...next].length < status.minLength;
  const differ = again.length > 0 && again !== next;
  return (
    <form
      className="inline-form packages-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        if (short || next !== again) return;
        onSubmit(next, remember, askCurrent ? current : undefined);
      }}
    >
      {askCurrent && (
        <label>
          Current passphrase
          <input
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
      )}
      <label>
        New passphrase
        <input
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-describedby="passphrase-rule"
        />
      </label>
      <label>
        Again, to be sure
        <input
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          aria-invalid={differ || undefined}
        />
      </label>
      {!askCurrent && status.canRemember && (
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember on this computer
        </label>
      )}
      <p id="passphrase-rule" className="muted small">
        At least {status.minLength} characters; a few unrelated words are easy to remember and hard to guess.
        {differ && ' The two differ.'}
      </p>
      <button type="submit" className="primary" disabled={busy || short || next !== again || (askCurrent && !current)}>
        {busy ? 'Working…' : submit}
      </button>
    </form>
  );
}

function UnprotectForm({ busy, onSubmit }: { busy: boolean; onSubmit: (passphrase: string) => void }) {
  const [pass, setPass] = useState('');
  return (
    <form
      className="inline-form packages-form"
      aria-label="Remove the protection"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(pass);
      }}
    >
      <p className="muted small">
        The library and its backups will be stored unencrypted again. Close the command line and any other copy of the
        app first.
      </p>
      <label>
        Passphrase
        <input type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || !pass}>
        {busy ? 'Working…' : 'Decrypt the library'}
      </button>
    </form>
  );
}
