import { csvCell } from '../../../shared/csv';
import { useEffect, useState } from 'react';
import type { AuditView as Audit } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { localStamp } from '../ui/local-time';
import { BackupsSection } from './BackupsSection';
import { ProtectionSection } from './ProtectionSection';
import { RatersSection } from './RatersSection';

const ACTIONS: Record<string, string> = {
  'session.open': 'opened',
  'session.export': 'exported',
  'study.export': 'exported the study',
  'report.view': 'viewed the report',
  'report.print': 'printed the report',
  'report.export': 'wrote the report',
  'clip.export': 'cut a clip',
  'case.delete': 'deleted',
  'session.delete': 'deleted',
  'recording.remove': 'removed',
  'package.export': 'sent a package',
  'package.open': 'opened a package',
  'package.return': 'returned a package',
  'package.import': 'imported a return',
  'backup.make': 'made a backup',
  'backup.restore': 'restored a backup',
  'rater.delete': 'erased',
  'library.protect': 'protected the library with a passphrase',
  'library.passphrase.change': 'changed the passphrase',
  'library.unprotect': 'removed the passphrase',
  'library.unlock': 'unlocked the library',
  'library.lock': 'locked the library',
};

/**
 * The audit log for a supervisor: who opened, exported, printed, packed and deleted what, newest
 * first, whether its hash chain is intact, and a CSV of it.
 */
export function AuditView({ onBack }: { onBack: () => void }) {
  const [audit, setAudit] = useState<Audit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api.call('audit:list', {}).then(setAudit, (e: unknown) => setError(errorMessage(e)));
  useEffect(() => void load(), []);
  const download = () => {
    if (!audit) return;
    const rows = [
      'id,at,actor,action,subject,detail',
      ...[...audit.entries]
        .reverse()
        .map((e) =>
          [String(e.id), e.at, e.actor, e.action, e.subject, JSON.stringify(e.detail)].map((c) => csvCell(c)).join(','),
        ),
    ];
    const url = URL.createObjectURL(new Blob([`${rows.join('\n')}\n`], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'audit-log.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="library audit-view">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>Protection, audit log, backups and raters</h1>
        <span className="spacer" />
        <button type="button" onClick={download} disabled={!audit?.entries.length}>
          Export CSV
        </button>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      {audit && <ProtectionSection />}
      {audit && <BackupsSection onChanged={() => void load()} />}
      {audit && (
        <section className="packages-section" aria-label="Entries">
          <p className={audit.verify.ok ? 'audit-ok' : 'audit-broken'} role={audit.verify.ok ? 'status' : 'alert'}>
            {audit.verify.ok ? '✓ ' : '⚠ '}
            {audit.verify.message}
          </p>
          {audit.entries.length === 0 ? (
            <p className="muted">Nothing has been recorded yet.</p>
          ) : (
            <table className="packages-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Of</th>
                </tr>
              </thead>
              <tbody>
                {audit.entries.map((e) => (
                  <tr key={e.id}>
                    <td className="tabular">{localStamp(e.at)}</td>
                    <td>{e.actor}</td>
                    <td title={e.action}>
                      {ACTIONS[e.action] ?? e.action}
                      {typeof e.detail.format === 'string' ? ` (${e.detail.format})` : ''}
                    </td>
                    <td>{e.subject}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {audit && <RatersSection onChanged={() => void load()} />}
    </div>
  );
}
