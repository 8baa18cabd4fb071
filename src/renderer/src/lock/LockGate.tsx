import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { LockStatusView } from '../../../shared/contract';
import { api, errorMessage } from '../api';

interface LockContextValue {
  status: LockStatusView;
  /** The status after a change made elsewhere (protect, change, the auto-lock setting). */
  setStatus: (s: LockStatusView) => void;
  lockNow: () => void;
}

const LockContext = createContext<LockContextValue | null>(null);

/** The library's protection and lock, for the screens that show or change it. */
export function useLock(): LockContextValue | null {
  return useContext(LockContext);
}

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Whether a recording is playing: watching without touching anything is use, not idleness. */
function playing(): boolean {
  return [...document.querySelectorAll('video, audio')].some((m) => !(m as HTMLMediaElement).paused);
}

/**
 * In front of the whole app: a protected library that is locked shows only the lock screen (the
 * rest is unmounted, so nothing of it stays on screen or in the page). Locks itself after the
 * chosen minutes without use, and follows locks made by the host (the machine going to sleep).
 */
export function LockGate({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<LockStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    api.call('lock:status', {}).then(setStatus, (e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(refresh, [refresh]);
  useEffect(() => api.on('lock:changed', refresh), [refresh]);

  const lock = useCallback((reason: 'user' | 'idle') => {
    api.call('lock:lock', { reason }).then(setStatus, (e: unknown) => setError(errorMessage(e)));
  }, []);
  const lockNow = useCallback(() => lock('user'), [lock]);

  // The idle timer: any input, or a recording playing, counts as use.
  const last = useRef(Date.now());
  const minutes = status && status.protected && !status.locked ? status.autoLockMinutes : 0;
  useEffect(() => {
    if (!minutes) return;
    last.current = Date.now();
    const touch = () => (last.current = Date.now());
    for (const e of ACTIVITY) window.addEventListener(e, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (playing()) last.current = Date.now();
      else if (Date.now() - last.current >= minutes * 60_000) {
        last.current = Date.now(); // the host may decline (an import is running): ask again later
        lock('idle');
      }
    }, 5_000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, [minutes, lock]);

  if (!status) {
    return error ? (
      <p className="inline-error" role="alert">
        {error}
      </p>
    ) : (
      <div className="library" aria-busy="true" />
    );
  }
  if (status.locked) return <LockScreen status={status} onUnlocked={setStatus} />;
  return <LockContext.Provider value={{ status, setStatus, lockNow }}>{children}</LockContext.Provider>;
}

function LockScreen({ status, onUnlocked }: { status: LockStatusView; onUnlocked: (s: LockStatusView) => void }) {
  const [pass, setPass] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <main className="lock-screen">
      <form
        className="lock-card"
        aria-labelledby="lock-heading"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          api
            .call('lock:unlock', { passphrase: pass, remember })
            .then(onUnlocked, (err: unknown) => {
              setError(errorMessage(err));
              setPass('');
              input.current?.focus();
            })
            .finally(() => setBusy(false));
        }}
      >
        <h1 id="lock-heading">Alliance Review is locked</h1>
        <p className="muted">This library is protected with a passphrase. Enter it to go on.</p>
        <label>
          Passphrase
          <input
            ref={input}
            type="password"
            autoComplete="current-password"
            value={pass}
            onChange={(e) => setPass(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'unlock-error' : undefined}
          />
        </label>
        {status.canRemember && (
          <label className="checkbox">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            Remember on this computer (the system keychain keeps the key)
          </label>
        )}
        {error && (
          <p id="unlock-error" className="inline-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !pass}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
