import { useState } from 'react';
import type { Recording } from '../../../shared/domain';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { count } from '../../../shared/words';

export function RelinkRow({ recording, onChanged }: { recording: Recording; onChanged: () => void }) {
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

export function ImportForm(props: {
  onImport: (paths: string[], offsetMs: number, copy: boolean, offsetsMs?: number[]) => void;
  onCancel: () => void;
}) {
  const [paths, setPaths] = useState('');
  const [offset, setOffset] = useState('0');
  const [copy, setCopy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Several files: each gets its own offset (two cameras and a recorder rarely start together).
  const [chosen, setChosen] = useState<{ path: string; offset: string }[] | null>(null);
  const submit = (list: string[]) => {
    const o = Number(offset);
    if (!Number.isInteger(o)) return setError('The offset is a whole number of milliseconds, e.g. 1500 or -250.');
    if (!list.length) return setError('Enter the path of at least one file.');
    if (list.length > 1 && !chosen) {
      setError(null);
      return setChosen(list.map((p) => ({ path: p, offset: String(o) })));
    }
    props.onImport(list, o, copy);
  };
  const importChosen = () => {
    if (!chosen) return;
    const offsets = chosen.map((c) => Number(c.offset));
    const bad = offsets.findIndex((n) => !Number.isInteger(n) || Math.abs(n) > 86_400_000);
    if (bad >= 0)
      return setError(
        `The offset of ${fileName(chosen[bad]!.path)} is a whole number of milliseconds, e.g. 1500 or -250.`,
      );
    props.onImport(
      chosen.map((c) => c.path),
      0,
      copy,
      offsets,
    );
    setChosen(null);
  };
  const browse = async () => {
    const picked = await api.call('dialogs:openMedia', {});
    if (picked?.length) submit(picked);
  };
  if (chosen) {
    return (
      <form
        className="inline-form"
        aria-label="Offsets of the recordings"
        onSubmit={(e) => {
          e.preventDefault();
          importChosen();
        }}
      >
        <p className="grow">
          Where does each file start on the session&rsquo;s clock? Leave 0 if you do not know: once they are in, the
          offsets are found by their sound for you to check and accept (also later, in the player&rsquo;s Recordings
          tab).
        </p>
        <ul className="offsets-list">
          {chosen.map((c, i) => (
            <li key={c.path}>
              <label>
                <span className="file" title={c.path}>
                  {fileName(c.path)}
                </span>
                <span>offset (ms)</span>
                <input
                  inputMode="numeric"
                  value={c.offset}
                  onChange={(e) => setChosen(chosen.map((x, j) => (j === i ? { ...x, offset: e.target.value } : x)))}
                />
              </label>
            </li>
          ))}
        </ul>
        <div className="form-actions">
          <button type="submit" className="primary">
            Import {count(chosen.length, 'recording')}
          </button>
          <button type="button" onClick={() => setChosen(null)}>
            Back
          </button>
        </div>
        <InlineError message={error} />
      </form>
    );
  }
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

const fileName = (p: string) => p.split(/[\\/]/).pop() || p;
