import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { PackageReportView, PackageView } from '../../../shared/contract';
import type { CaseWithSessions } from '../../../shared/domain';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { localStamp } from '../ui/local-time';
import { FileField, PassphraseFields, Report } from './PackageParts';

const KIND: Record<PackageView['kind'], string> = {
  sent: 'Sent',
  opened: 'Opened here',
  returned: 'Returned',
  imported: 'Return imported',
};

/**
 * Rating packages: a supervisor sends sessions to an observer at another desk and imports the
 * returns; the observer opens a package, rates its sessions like any other, and writes the
 * return. Every file is sealed with a passphrase agreed outside the app.
 */
export function PackagesView({ onBack }: { onBack: () => void }) {
  const [packages, setPackages] = useState<PackageView[]>([]);
  const [cases, setCases] = useState<CaseWithSessions[]>([]);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [me, setMe] = useState<Rater | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<PackageReportView[] | null>(null);
  const reload = useCallback(async () => {
    try {
      const [p, c, r, cur] = await Promise.all([
        api.call('packages:list', {}),
        api.call('cases:list', {}),
        api.call('raters:list', {}),
        api.call('raters:current', {}),
      ]);
      setPackages(p);
      setCases(c);
      setRaters(r);
      setMe(cur);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  const done = (r: PackageReportView | PackageReportView[]) => {
    setReport(Array.isArray(r) ? r : [r]);
    setError(null);
    void reload();
  };
  const sessionName = useMemo(() => {
    const m = new Map<number, string>();
    for (const c of cases) for (const s of c.sessions) m.set(s.id, `${c.code} · session ${s.number}`);
    return m;
  }, [cases]);
  const supervisor = me?.role === 'supervisor';
  const opened = packages.filter((p) => p.kind === 'opened');

  return (
    <div className="library packages-view">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>Rating packages</h1>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      {report && (
        <section className="packages-section" aria-label="What the package did">
          <Report reports={report} onClose={() => setReport(null)} />
        </section>
      )}
      <section className="packages-section" aria-labelledby="open-heading">
        <h2 id="open-heading">Open a package you were sent</h2>
        <p className="muted small">
          Its sessions appear in your library, with only your own lanes. Relink each recording to your own copy (a
          different file is refused).
        </p>
        <OpenForm onDone={done} onError={setError} />
      </section>
      {opened.length > 0 && (
        <section className="packages-section" aria-labelledby="opened-heading">
          <h2 id="opened-heading">Packages to rate and return</h2>
          {opened.map((p) => (
            <ReturnForm key={p.packageId} pkg={p} sessionName={sessionName} onDone={done} onError={setError} />
          ))}
        </section>
      )}
      {supervisor && (
        <>
          <section className="packages-section" aria-labelledby="send-heading">
            <h2 id="send-heading">Send sessions to a rater</h2>
            <SendForm cases={cases} raters={raters} onDone={done} onError={setError} />
          </section>
          <section className="packages-section" aria-labelledby="import-heading">
            <h2 id="import-heading">Import returned packages</h2>
            <ImportForm onDone={done} onError={setError} />
          </section>
        </>
      )}
      {packages.length > 0 && (
        <section className="packages-section" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <table className="packages-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Rater</th>
                <th scope="col">Sessions</th>
              </tr>
            </thead>
            <tbody>
              {packages.map((p) => (
                <tr key={p.packageId}>
                  <td className="tabular">{localStamp(p.createdAt, false)}</td>
                  <td>{KIND[p.kind]}</td>
                  <td>{p.raterName ?? '–'}</td>
                  <td>{p.sessionIds.map((id) => sessionName.get(id) ?? `#${id}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

type Done = (r: PackageReportView | PackageReportView[]) => void;

/** A form's one request: busy while it runs; on success the passphrase is cleared and the report shown. */
function useSend(onDone: Done, onError: (m: string) => void, clear: () => void) {
  const [busy, setBusy] = useState(false);
  const run = (call: () => Promise<PackageReportView | PackageReportView[]>) => {
    setBusy(true);
    call()
      .then(
        (r) => {
          clear();
          onDone(r);
        },
        (err: unknown) => onError(errorMessage(err)),
      )
      .finally(() => setBusy(false));
  };
  return { busy, run };
}

function OpenForm({ onDone, onError }: { onDone: Done; onError: (m: string) => void }) {
  const [file, setFile] = useState('');
  const [pass, setPass] = useState('');
  const { busy, run } = useSend(onDone, onError, () => setPass(''));
  return (
    <form
      className="inline-form packages-form"
      aria-label="Open a package"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => api.call('packages:open', { file, passphrase: pass }));
      }}
    >
      <FileField label="Package file" value={file} onChange={setFile} mode="open" />
      <PassphraseFields value={pass} onChange={setPass} confirm={false} />
      <button type="submit" className="primary" disabled={busy || !file || !pass}>
        {busy ? 'Opening…' : 'Open package'}
      </button>
    </form>
  );
}

function ReturnForm(props: {
  pkg: PackageView;
  sessionName: Map<number, string>;
  onDone: Done;
  onError: (m: string) => void;
}) {
  const { pkg, sessionName, onDone, onError } = props;
  const [out, setOut] = useState('');
  const [pass, setPass] = useState('');
  const { busy, run } = useSend(onDone, onError, () => setPass(''));
  return (
    <form
      className="inline-form packages-form"
      aria-label={`Return the package of ${pkg.raterName ?? 'this rater'}`}
      onSubmit={(e) => {
        e.preventDefault();
        run(() => api.call('packages:return', { packageId: pkg.packageId, out, passphrase: pass }));
      }}
    >
      <p className="packages-sessions">
        {pkg.raterName}:{' '}
        {pkg.sessionIds.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <a href={`#/session/${id}`}>{sessionName.get(id) ?? `session #${id}`}</a>
          </span>
        ))}
      </p>
      <p className="muted small">Writing the return submits your ratings of these sessions.</p>
      <FileField label="Save the return as" value={out} onChange={setOut} mode="save" suggested="return.arpkg" />
      <PassphraseFields value={pass} onChange={setPass} confirm />
      <button type="submit" className="primary" disabled={busy || !out || !pass}>
        {busy ? 'Writing…' : 'Submit and write the return'}
      </button>
    </form>
  );
}

function SendForm(props: { cases: CaseWithSessions[]; raters: Rater[]; onDone: Done; onError: (m: string) => void }) {
  const { cases, raters, onDone, onError } = props;
  const people = raters.filter((r) => !r.consensus);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [raterId, setRaterId] = useState<number | ''>('');
  const [due, setDue] = useState('');
  const [media, setMedia] = useState(false);
  const [out, setOut] = useState('');
  const [pass, setPass] = useState('');
  const { busy, run } = useSend(onDone, onError, () => setPass(''));
  // Writing with the recordings takes a while: its progress, and a way to stop it.
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => api.on('packages:progress', setProgress), []);
  useEffect(() => {
    if (!busy) setProgress(null);
  }, [busy]);
  const toggle = (id: number) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <form
      className="inline-form packages-form"
      aria-label="Send sessions to a rater"
      onSubmit={(e) => {
        e.preventDefault();
        if (raterId === '') return;
        run(() =>
          api.call('packages:export', {
            sessionIds: [...chosen],
            raterId,
            out,
            passphrase: pass,
            includeMedia: media,
            dueDate: due || null,
          }),
        );
      }}
    >
      <fieldset className="packages-pick">
        <legend>Sessions</legend>
        {cases.map((c) => (
          <div key={c.id} className="packages-case">
            <span className="packages-case-code">{c.code}</span>
            {c.sessions.map((s) => (
              <label key={s.id} className="checkbox">
                <input type="checkbox" checked={chosen.has(s.id)} onChange={() => toggle(s.id)} />
                {c.code} session {s.number}
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <label>
        Rater
        <select value={raterId} onChange={(e) => setRaterId(e.target.value ? Number(e.target.value) : '')}>
          <option value="">choose…</option>
          {people.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.role})
            </option>
          ))}
        </select>
      </label>
      <label>
        Due date
        <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={media} onChange={(e) => setMedia(e.target.checked)} />
        Include the recordings (large; otherwise the rater relinks their own copies)
      </label>
      <FileField label="Save the package as" value={out} onChange={setOut} mode="save" suggested="package.arpkg" />
      <PassphraseFields value={pass} onChange={setPass} confirm />
      <button type="submit" className="primary" disabled={busy || !chosen.size || raterId === '' || !out || !pass}>
        {busy ? 'Writing…' : `Write the package (${chosen.size} session${chosen.size === 1 ? '' : 's'})`}
      </button>
      {busy && media && (
        <span className="packages-progress">
          <progress aria-label="Writing the package" max={progress?.total || 1} value={progress?.done ?? 0} />{' '}
          <button type="button" onClick={() => void api.call('packages:cancel', {})}>
            Cancel
          </button>
        </span>
      )}
    </form>
  );
}

function ImportForm({ onDone, onError }: { onDone: Done; onError: (m: string) => void }) {
  const [files, setFiles] = useState('');
  const [pass, setPass] = useState('');
  const { busy, run } = useSend(onDone, onError, () => setPass(''));
  const list = files
    .split('\n')
    .map((f) => f.trim())
    .filter(Boolean);
  return (
    <form
      className="inline-form packages-form"
      aria-label="Import returned packages"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => api.call('packages:import', { files: list, passphrase: pass }));
      }}
    >
      <FileField label="Return files (one per line)" value={files} onChange={setFiles} mode="open-many" />
      <PassphraseFields value={pass} onChange={setPass} confirm={false} />
      <button type="submit" className="primary" disabled={busy || !list.length || !pass}>
        {busy ? 'Importing…' : `Import ${list.length || ''} return${list.length === 1 ? '' : 's'}`}
      </button>
    </form>
  );
}
