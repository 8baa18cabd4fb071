import { useState } from 'react';
import { describePrivacy } from '../../../shared/privacy';
import { api, errorMessage } from '../api';

const FORMATS = [
  ['eaf', 'ELAN (.eaf): a tier per rater and kind'],
  ['boris', 'BORIS project (.boris): an observation per rater'],
  ['csv', 'CSV: one row per segment'],
  ['json', 'JSON: the whole session document'],
] as const;

/** Saving the session for ELAN, BORIS or analysis, as the viewer may see it. */
export function ExportSection({ sessionId }: { sessionId: number }) {
  const [format, setFormat] = useState<(typeof FORMATS)[number][0]>('eaf');
  const [transcript, setTranscript] = useState(false);
  // Pseudonymous and without free text unless asked (the same defaults as the command line).
  const [names, setNames] = useState(false);
  const [notes, setNotes] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      const out = await api.call('exports:session', { sessionId, format, includeTranscript: transcript, names, notes });
      const url = URL.createObjectURL(new Blob([out.content], { type: out.mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = out.fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setNote(`Saved ${out.fileName}.`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section aria-labelledby="export-title" className="export-section">
      <h3 id="export-title">Export this session</h3>
      <fieldset>
        <legend className="sr-only">Format</legend>
        {FORMATS.map(([key, label]) => (
          <label key={key}>
            <input type="radio" name="export-format" checked={format === key} onChange={() => setFormat(key)} /> {label}
          </label>
        ))}
      </fieldset>
      <label>
        <input type="checkbox" checked={names} onChange={(e) => setNames(e.target.checked)} /> Include names (the
        therapist, the raters, the recordings’ names)
      </label>
      <label>
        <input type="checkbox" checked={notes} onChange={(e) => setNotes(e.target.checked)} /> Include free text (notes,
        comments, feedback)
      </label>
      <label>
        <input type="checkbox" checked={transcript} onChange={(e) => setTranscript(e.target.checked)} /> Include the
        transcript (it is sensitive: only when needed)
      </label>
      <p className="hint" aria-live="polite">
        What leaves this machine: the case by its code, the session’s times and codes,{' '}
        {describePrivacy({ names, notes })}
        {transcript ? ' The transcript goes too.' : ''}
      </p>
      <div className="form-actions">
        <button type="button" onClick={() => void save()}>
          Save…
        </button>
      </div>
      {note && <p role="status">{note}</p>}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
