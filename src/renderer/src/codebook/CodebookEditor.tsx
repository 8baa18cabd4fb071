import { useEffect, useState } from 'react';
import {
  CATEGORY_COLORS,
  CODE_CATEGORIES,
  type Code,
  type CodeCategory,
  type Codebook,
  QUICK_KEYS_TEXT,
} from '../../../shared/codebook';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';

/**
 * The codebook editor: rename, recolor, reorder, add and retire codes, give codes quick keys;
 * import and export JSON.
 * Saving creates a new version; annotations keep the version they were made with, and retired
 * codes stay readable on them.
 */
export function CodebookEditor({ onBack }: { onBack: () => void }) {
  const [cb, setCb] = useState<Codebook | null>(null);
  const [codes, setCodes] = useState<Code[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [importText, setImportText] = useState('');
  const [adding, setAdding] = useState<Code>({
    key: '',
    label: '',
    description: '',
    category: 'withdrawal',
    color: CATEGORY_COLORS.withdrawal,
    retired: false,
  });

  const load = (c: Codebook) => {
    setCb(c);
    setCodes(c.definition.codes);
    setName(c.definition.name);
  };
  useEffect(() => {
    api.call('codebook:get', {}).then(load, (e: unknown) => setError(errorMessage(e)));
  }, []);
  if (!cb) return <div className="library">{error && <InlineError message={error} />}</div>;

  const dirty = JSON.stringify(codes) !== JSON.stringify(cb.definition.codes) || name !== cb.definition.name;
  const patch = (i: number, p: Partial<Code>) => setCodes((cs) => cs.map((c, j) => (j === i ? { ...c, ...p } : c)));
  const move = (i: number, d: -1 | 1) =>
    setCodes((cs) => {
      const j = i + d;
      if (j < 0 || j >= cs.length) return cs;
      const next = [...cs];
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    });
  const save = async () => {
    try {
      const saved = await api.call('codebook:save', { definition: { ...cb.definition, name, codes } });
      load(saved);
      setError(null);
      setNotice(`Saved as version ${saved.version}.`);
    } catch (e) {
      setNotice(null);
      setError(errorMessage(e));
    }
  };
  const doImport = async () => {
    try {
      const saved = await api.call('codebook:import', { text: importText });
      load(saved);
      setImporting(false);
      setImportText('');
      setError(null);
      setNotice(`Imported as version ${saved.version}.`);
    } catch (e) {
      setNotice(null);
      setError(errorMessage(e));
    }
  };
  const doExport = async () => {
    const { json } = await api.call('codebook:export', {});
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}-v${cb.version}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const add = () => {
    const key = adding.key.trim().toUpperCase();
    if (!/^[A-Z][A-Z0-9-]{0,15}$/.test(key))
      return setError('A key is a letter then up to 15 letters, digits or dashes, e.g. W8.');
    if (codes.some((c) => c.key.toUpperCase() === key)) return setError(`The key ${key} is already in the codebook.`);
    if (!adding.label.trim()) return setError('Give the new code a label.');
    setCodes([...codes, { ...adding, key, label: adding.label.trim() }]);
    setAdding({ ...adding, key: '', label: '', description: '' });
    setError(null);
  };

  return (
    <div className="library codebook-editor">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>Codebook</h1>
        <input aria-label="Codebook name" value={name} onChange={(e) => setName(e.target.value)} />
        <span className="muted">version {cb.version}</span>
        <span className="spacer" />
        <button type="button" onClick={() => setImporting((v) => !v)} aria-expanded={importing}>
          Import JSON…
        </button>
        <button type="button" onClick={() => void doExport()}>
          Export JSON
        </button>
        <button type="button" className="primary" disabled={!dirty} onClick={() => void save()}>
          Save as new version
        </button>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {importing && (
        <form
          className="inline-form import-codebook"
          aria-label="Import codebook"
          onSubmit={(e) => {
            e.preventDefault();
            void doImport();
          }}
        >
          <label className="grow">
            Paste codebook JSON, or choose a file
            <textarea
              rows={5}
              value={importText}
              onChange={(e) => setImportText(e.target.value)}
              aria-label="Codebook JSON"
            />
          </label>
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Codebook file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then(setImportText);
            }}
          />
          <div className="form-actions">
            <button type="submit" className="primary">
              Import
            </button>
          </div>
          <p className="hint">
            The file replaces the codes as a new version. Codes that old annotations use must stay (retire them
            instead).
          </p>
        </form>
      )}
      {CODE_CATEGORIES.map((cat) => (
        <section key={cat} className="code-group" aria-label={`${cat} codes`}>
          <h2>
            {cat === 'repair'
              ? 'Resolution strategies'
              : cat === 'intervention'
                ? 'Intervention tags'
                : `${cat[0]!.toUpperCase()}${cat.slice(1)} markers`}
          </h2>
          <table>
            <tbody>
              {codes.map((c, i) =>
                c.category !== cat ? null : (
                  <tr key={c.key} className={c.retired ? 'retired' : ''}>
                    <th scope="row">{c.key}</th>
                    <td>
                      <input
                        type="color"
                        aria-label={`Color of ${c.key}`}
                        value={c.color}
                        onChange={(e) => patch(i, { color: e.target.value })}
                      />
                    </td>
                    <td className="grow">
                      <input
                        aria-label={`Label of ${c.key}`}
                        value={c.label}
                        onChange={(e) => patch(i, { label: e.target.value })}
                      />
                    </td>
                    <td className="grow">
                      <input
                        aria-label={`Description of ${c.key}`}
                        value={c.description}
                        onChange={(e) => patch(i, { description: e.target.value })}
                      />
                    </td>
                    <td>
                      {cat !== 'intervention' && (
                        <input
                          className="quick-key"
                          aria-label={`Quick key of ${c.key}`}
                          title={`One press opens a segment coded ${c.key}, the next closes it (${QUICK_KEYS_TEXT})`}
                          placeholder="key"
                          maxLength={1}
                          size={3}
                          value={c.quickKey?.toUpperCase() ?? ''}
                          onChange={(e) => {
                            const k = e.target.value.trim().toLowerCase();
                            patch(i, { quickKey: k || undefined });
                          }}
                        />
                      )}
                    </td>
                    <td>
                      <button type="button" onClick={() => move(i, -1)} aria-label={`Move ${c.key} up`}>
                        ↑
                      </button>
                      <button type="button" onClick={() => move(i, 1)} aria-label={`Move ${c.key} down`}>
                        ↓
                      </button>
                    </td>
                    <td>
                      <label className="checkbox small">
                        <input
                          type="checkbox"
                          checked={c.retired}
                          onChange={(e) => patch(i, { retired: e.target.checked })}
                        />
                        retired
                      </label>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </section>
      ))}
      <form
        className="inline-form add-code"
        aria-label="Add a code"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label>
          Key
          <input
            value={adding.key}
            onChange={(e) => setAdding({ ...adding, key: e.target.value })}
            placeholder="W8"
            size={6}
          />
        </label>
        <label>
          Category
          <select
            value={adding.category}
            onChange={(e) => {
              const category = e.target.value as CodeCategory;
              setAdding({ ...adding, category, color: CATEGORY_COLORS[category] });
            }}
          >
            {CODE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Label
          <input value={adding.label} onChange={(e) => setAdding({ ...adding, label: e.target.value })} />
        </label>
        <label className="grow">
          Description
          <input value={adding.description} onChange={(e) => setAdding({ ...adding, description: e.target.value })} />
        </label>
        <div className="form-actions">
          <button type="submit">Add code</button>
        </div>
      </form>
    </div>
  );
}
