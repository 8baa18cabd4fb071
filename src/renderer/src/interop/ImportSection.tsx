import { useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import type { CodebookDefinition } from '../../../shared/codebook';
import { TIER_ROLES, type ImportChoices, type ImportPreview, type TierRole } from '../../../shared/interop';
import { api, errorMessage } from '../api';
import { count } from '../../../shared/words';

const ROLE_LABEL: Record<TierRole, string> = {
  rupture: 'Ruptures',
  repair: 'Repairs',
  comment: 'Comments',
  coding: 'Codes (kind from the code)',
  transcript: 'Transcript',
  ignore: 'Leave out',
};

async function readBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Importing another tool's file: choose it, see each tier (count, first values) with the role and
 * rater the app proposes, change them, map values the codebook lacks, then import, all or
 * nothing. Nothing is stored before "Import".
 */
export function ImportSection(props: {
  sessionId: number;
  me: Rater;
  codebook: CodebookDefinition;
  onImported: (p: ImportPreview) => void;
}) {
  const { sessionId, me, codebook, onImported } = props;
  const supervisor = me.role === 'supervisor';
  const [file, setFile] = useState<{ name: string; b64: string } | null>(null);
  const [choices, setChoices] = useState<ImportChoices>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ImportPreview | null>(null);

  const run = async (channel: 'interop:preview' | 'interop:import', f = file, c = choices) => {
    if (!f) return;
    setBusy(true);
    setError(null);
    try {
      const p = await api.call(channel, { sessionId, fileName: f.name, contentBase64: f.b64, choices: c });
      setPreview(p);
      if (channel === 'interop:import' && p.stored) {
        setDone(p);
        onImported(p);
      }
    } catch (e) {
      setError(errorMessage(e));
      setPreview(null);
    } finally {
      setBusy(false);
    }
  };
  const change = (next: ImportChoices) => {
    setChoices(next);
    void run('interop:preview', file, next);
  };
  const codeOptions = codebook.codes.filter((c) => !c.retired && c.category !== 'intervention');

  return (
    <section aria-labelledby="import-title" className="import-section">
      <h3 id="import-title">Import annotations or a transcript</h3>
      <p className="muted">
        ELAN (.eaf or tab-delimited text), BORIS (project or events export), WebVTT / SRT subtitles, timed text, or the
        app’s CSV. {supervisor ? '' : 'As a ' + me.role + ', what you import goes into your own lane.'}
      </p>
      <label>
        File
        <input
          type="file"
          accept=".eaf,.txt,.tsv,.csv,.boris,.vtt,.srt,text/*"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            setDone(null);
            if (!f) return;
            const next = { name: f.name, b64: await readBase64(f) };
            setFile(next);
            setChoices({});
            void run('interop:preview', next, {});
          }}
        />
      </label>
      {busy && <p role="status">Reading…</p>}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="ok-note">
          Imported {done.segments} segment{done.segments === 1 ? '' : 's'}
          {done.perRater.length ? ` (${done.perRater.map((r) => `${r.rater}: ${r.imported}`).join(', ')})` : ''}
          {done.utterances ? ` and ${done.utterances} transcript utterances` : ''}. Undo (Ctrl+Z) takes it back for each
          rater.
        </p>
      )}
      {done && <ImportAccountView account={done.account} stored />}
      {preview && !done && (
        <>
          <p>
            <strong>{preview.formatLabel}</strong> <span className="muted">({preview.encoding})</span>
          </p>
          {preview.tiers.length > 0 && (
            <table className="tier-table">
              <caption className="sr-only">Tiers in the file</caption>
              <thead>
                <tr>
                  <th scope="col">Tier</th>
                  <th scope="col">Annotations</th>
                  <th scope="col">Becomes</th>
                  <th scope="col">Rater</th>
                </tr>
              </thead>
              <tbody>
                {preview.tiers.map((t) => (
                  <tr key={t.name}>
                    <th scope="row">
                      {t.name}
                      {t.participant && <span className="muted"> · {t.participant}</span>}
                    </th>
                    <td>
                      {t.count}{' '}
                      <span className="muted">
                        e.g.{' '}
                        {t.firstValues
                          .slice(0, 3)
                          .map((v) => `“${v.slice(0, 30)}”`)
                          .join(', ')}
                      </span>
                    </td>
                    <td>
                      <select
                        aria-label={`What tier ${t.name} becomes`}
                        value={choices.roles?.[t.name] ?? t.role}
                        onChange={(e) =>
                          change({ ...choices, roles: { ...choices.roles, [t.name]: e.target.value as TierRole } })
                        }
                      >
                        {TIER_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABEL[r]}
                          </option>
                        ))}
                      </select>
                      <div className="muted small">{t.because}</div>
                    </td>
                    <td>
                      {t.role === 'transcript' || t.role === 'ignore' ? (
                        '—'
                      ) : supervisor ? (
                        <input
                          aria-label={`Rater for tier ${t.name}`}
                          defaultValue={choices.raters?.[t.name] ?? t.rater ?? ''}
                          placeholder="whose coding?"
                          onBlur={(e) => {
                            const v = e.target.value.trim();
                            if (v && v !== (t.rater ?? ''))
                              change({ ...choices, raters: { ...choices.raters, [t.name]: v } });
                          }}
                        />
                      ) : (
                        me.name
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.unmapped.length > 0 && (
            <fieldset className="unmapped">
              <legend>Values the codebook does not have</legend>
              {preview.unmapped.map((u) => (
                <label key={`${u.tier}/${u.value}`}>
                  “{u.value}”{' '}
                  <span className="muted">
                    ({u.count}× in {u.tier})
                  </span>
                  <select
                    value={choices.codes?.[u.value] ?? ''}
                    onChange={(e) => change({ ...choices, codes: { ...choices.codes, [u.value]: e.target.value } })}
                  >
                    <option value="">— choose a code —</option>
                    <option value="ignore">Leave these out</option>
                    {codeOptions.map((c) => (
                      <option key={c.key} value={c.key}>
                        {c.key} {c.label}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
              {supervisor && (
                <label>
                  <input
                    type="checkbox"
                    checked={choices.addCodes ?? false}
                    onChange={(e) => change({ ...choices, addCodes: e.target.checked })}
                  />{' '}
                  Add the rest to the codebook (group “imported”, a new codebook version)
                </label>
              )}
            </fieldset>
          )}
          {supervisor && preview.perRater.length > 0 && (
            <label>
              <input
                type="checkbox"
                checked={choices.submit ?? false}
                onChange={(e) => setChoices({ ...choices, submit: e.target.checked })}
              />{' '}
              This is finished coding: submit {preview.perRater.map((r) => r.rater).join(', ')}’s rating
              {preview.perRater.length === 1 ? '' : 's'} (blind raters see it only after submitting their own)
            </label>
          )}
          {[...preview.blocking, ...preview.warnings].map((w) => (
            <p key={w} className="muted" role="note">
              {w}
            </p>
          ))}
          {preview.rejectedCount > 0 && (
            <details>
              <summary>
                {preview.rejectedCount} annotation{preview.rejectedCount === 1 ? '' : 's'} cannot be imported as they
                are
              </summary>
              <ul>
                {preview.rejected.map((r) => (
                  <li key={`${r.at}${r.reason}`}>
                    {r.at}: {r.reason}
                  </li>
                ))}
              </ul>
              <label>
                <input
                  type="checkbox"
                  checked={choices.skipInvalid ?? false}
                  onChange={(e) => change({ ...choices, skipInvalid: e.target.checked })}
                />{' '}
                Import the rest and leave these out
              </label>
            </details>
          )}
          <ImportAccountView account={preview.account} stored={false} />
          <div className="form-actions">
            <button
              type="button"
              className="primary"
              disabled={
                busy ||
                preview.blocking.length > 0 ||
                (preview.rejectedCount > 0 && !choices.skipInvalid) ||
                preview.segments + preview.utterances === 0
              }
              onClick={() => void run('interop:import')}
            >
              Import {preview.segments} segment{preview.segments === 1 ? '' : 's'}
              {preview.utterances ? ` and ${count(preview.utterances, 'utterance')}` : ''}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/**
 * The import's account in words: what is (or was) imported, left out and changed, and why — the
 * same lines the command line prints and the audit log keeps.
 */
function ImportAccountView({ account, stored }: { account: ImportPreview['account']; stored: boolean }) {
  const groups = [
    { title: stored ? 'Imported' : 'Will be imported', lines: account.imported },
    { title: stored ? 'Left out' : 'Will be left out', lines: account.leftOut },
    { title: stored ? 'Changed' : 'Will be changed', lines: account.changed },
  ].filter((g) => g.lines.length);
  if (!groups.length) return null;
  return (
    <section className="import-account" aria-label={stored ? 'What the import did' : 'What the import will do'}>
      {groups.map((g) => (
        <div key={g.title}>
          <h4>{g.title}</h4>
          <ul className="small">
            {g.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
