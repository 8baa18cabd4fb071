import { useEffect, useId, useRef, useState } from 'react';
import type { PackageReportView } from '../../../shared/contract';
import { api, errorMessage } from '../api';

/**
 * A file path: typed (the browser host has no file dialogs), or chosen with the app's dialog.
 * `open-many` is a list, one path per line.
 */
export function FileField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  mode: 'open' | 'open-many' | 'save';
  suggested?: string;
}) {
  const { label, value, onChange, mode, suggested } = props;
  const choose = async () => {
    try {
      if (mode === 'save') {
        const p = await api.call('dialogs:savePackage', { suggestedName: suggested ?? 'package.arpkg' });
        if (p) onChange(p);
      } else {
        const ps = await api.call('dialogs:openPackages', { multiple: mode === 'open-many' });
        if (ps?.length) onChange(mode === 'open-many' ? ps.join('\n') : ps[0]!);
      }
    } catch (e) {
      onChange(value);
      window.alert(errorMessage(e));
    }
  };
  return (
    <div className="packages-file">
      <label className="grow">
        {label}
        {mode === 'open-many' ? (
          <textarea rows={2} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
        ) : (
          <input
            type="text"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            spellCheck={false}
            placeholder={mode === 'save' ? `/path/to/${suggested ?? 'package.arpkg'}` : '/path/to/package.arpkg'}
          />
        )}
      </label>
      {api.host === 'electron' && (
        <button type="button" onClick={() => void choose()}>
          Choose…
        </button>
      )}
    </div>
  );
}

/** The passphrase, and when a file is written, the same again (a typo would lock the file). */
export function PassphraseFields(props: { value: string; onChange: (v: string) => void; confirm: boolean }) {
  const { value, onChange, confirm } = props;
  const id = useId();
  return (
    <>
      <label>
        Passphrase
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={`${id}-hint`}
        />
      </label>
      {confirm && <ConfirmField id={id} value={value} />}
      <span id={`${id}-hint`} className="muted small">
        Agreed with the other person outside the app (not in the same e-mail as the file).
      </span>
    </>
  );
}

function ConfirmField({ id, value }: { id: string; value: string }) {
  const [again, setAgain] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  const differs = again !== '' && again !== value;
  // The form cannot be sent while the two differ (the browser's own validation says so too).
  useEffect(() => ref.current?.setCustomValidity(again === value ? '' : 'The two passphrases differ.'), [again, value]);
  return (
    <>
      <label>
        The passphrase again
        <input
          ref={ref}
          type="password"
          autoComplete="off"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          id={`${id}-again`}
          aria-invalid={differs}
          aria-describedby={differs ? `${id}-differs` : undefined}
        />
      </label>
      {differs && (
        <span id={`${id}-differs`} className="field-error small" role="alert">
          The two passphrases differ.
        </span>
      )}
    </>
  );
}

/** What a package did: per session, and the notes. */
export function Report({ reports, onClose }: { reports: PackageReportView[]; onClose: () => void }) {
  return (
    <div className="packages-report" role="status">
      {reports.map((r) => (
        <div key={r.packageId}>
          <h2>
            {r.kind === 'rating' ? 'Rating package' : 'Return'} of {r.rater}
            {r.alreadyDone ? ': nothing changed' : ''}
          </h2>
          <ul>
            {r.sessions.map((s) => (
              <li key={s.sessionId}>
                <a href={`#/session/${s.sessionId}`}>
                  {s.caseCode} · session {s.number}
                </a>
                : {s.outcome}
              </li>
            ))}
          </ul>
          {r.notes.map((n) => (
            <p key={n} className="small">
              {n}
            </p>
          ))}
          {r.bytes !== undefined && (
            <p className="muted small">
              Written: {r.file} ({Math.max(1, Math.round(r.bytes / 1024))} KiB)
            </p>
          )}
        </div>
      ))}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
