import { useCallback, useEffect, useState } from 'react';
import type { BackupView } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { ConfirmInline } from '../ui/ConfirmInline';
import { localStamp } from '../ui/local-time';

const KIND: Record<BackupView['kind'], string> = {
  daily: 'daily',
  manual: 'made by hand',
  'before-restore': 'before a restore',
};

/** The library's backups: made daily by the app or by hand, each checked; restore one. */
export function BackupsSection({ onChanged }: { onChanged: () => void }) {
  const [list, setList] = useState<BackupView[] | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.call('backups:list', {}).then(setList, (e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(reload, [reload]);
  const act = (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    work()
      .then(setMessage, (e: unknown) => setError(errorMessage(e)))
      .finally(() => {
        setBusy(false);
        setAsking(null);
        reload();
        onChanged();
      });
  };
  return (
    <section className="packages-section" aria-labelledby="backups-heading">
      <div className="toolbar-inline">
        <h2 id="backups-heading">Backups</h2>
        <button
          type="button"
          disabled={busy}
          onClick={() => act(async () => `Backed up: ${(await api.call('backups:now', {})).name}, checked.`)}
        >
          Back up now
        </button>
      </div>
      <p className="muted small">
        The app backs the library up once a day while it is open, checks each backup, and keeps every backup of the last
        week and one a week for a month. They hold what the library holds: keep the folder as private as the library.
      </p>
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {list && list.length === 0 && <p className="muted">No backups yet.</p>}
      {list && list.length > 0 && (
        <table className="packages-table">
          <thead>
            <tr>
              <th scope="col">Made</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="sr-only">Restore</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.name}>
                <td className="tabular">{localStamp(b.createdAt)}</td>
                <td>{KIND[b.kind]}</td>
                <td className="tabular">{(b.bytes / 1024 / 1024).toFixed(1)} MB</td>
                <td>
                  {asking === b.name ? (
                    <ConfirmInline
                      label="Confirm the restore"
                      text="Put the library back as it was then? What is there now is backed up first."
                      action="Restore"
                      cancel="Cancel"
                      busy={busy}
                      onConfirm={() =>
                        act(async () => {
                          await api.call('backups:restore', { name: b.name });
                          return `Restored the backup of ${localStamp(b.createdAt)}; what was there before is kept as a backup.`;
                        })
                      }
                      onCancel={() => setAsking(null)}
                    />
                  ) : (
                    <button
                      type="button"
                      onClick={() => setAsking(b.name)}
                      aria-label={`Restore the backup of ${localStamp(b.createdAt)}`}
                    >
                      Restore…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
