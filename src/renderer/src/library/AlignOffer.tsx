import { useEffect, useState } from 'react';
import type { SessionAlignment } from '../../../shared/talk';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';

const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(3)} s`;

/**
 * Offered once several recordings of a session have been imported: their offsets found by sound,
 * each with its confidence, to accept, change by hand (nudge) or leave.
 */
export function AlignOffer(props: { sessionId: number; label: string; onDone: (changed: boolean) => void }) {
  const { sessionId, label, onDone } = props;
  const [found, setFound] = useState<SessionAlignment | null>(null);
  const [offsets, setOffsets] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    let alive = true;
    api.call('recordings:align', { sessionId, apply: false }).then(
      (a) => {
        if (!alive) return;
        setFound(a);
        setOffsets(
          Object.fromEntries(a.recordings.map((r) => [r.recordingId, String(r.foundOffsetMs ?? r.currentOffsetMs)])),
        );
      },
      (e: unknown) => alive && setError(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [sessionId]);
  const accept = async () => {
    if (!found) return;
    const changes = found.recordings
      .map((r) => ({ r, n: Number(offsets[r.recordingId]) }))
      .filter(({ r, n }) => n !== r.currentOffsetMs);
    const bad = changes.find(({ n }) => !Number.isInteger(n) || Math.abs(n) > 86_400_000);
    if (bad) return setError(`The offset of ${bad.r.fileName} is a whole number of milliseconds, e.g. 1500 or -250.`);
    setSaving(true);
    try {
      for (const { r, n } of changes) await api.call('recordings:update', { id: r.recordingId, offsetMs: n });
      onDone(changes.length > 0);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      className="inline-form align-offer"
      aria-label={`Align the recordings of ${label} by sound`}
      onSubmit={(e) => {
        e.preventDefault();
        void accept();
      }}
    >
      <p className="grow">
        <strong>Line the recordings up by their sound?</strong>{' '}
        {found?.main
          ? `Offsets found against ${found.main.fileName}; change any by hand, then accept.`
          : found
            ? 'No recording with sound to align against.'
            : 'Listening for matching sound…'}
      </p>
      {found && (
        <ul className="offsets-list">
          {found.recordings.map((r) => (
            <li key={r.recordingId}>
              <label>
                <span className="file">{r.fileName}</span>
                <span>offset (ms)</span>
                <input
                  inputMode="numeric"
                  value={offsets[r.recordingId] ?? ''}
                  onChange={(e) => setOffsets({ ...offsets, [r.recordingId]: e.target.value })}
                />
              </label>
              <span className="small muted" role="status">
                {r.foundOffsetMs === null
                  ? (r.message ?? 'no match found: left as it is')
                  : r.recordingId === found.main?.recordingId
                    ? 'the reference'
                    : `found ${signed(r.foundOffsetMs)}, confidence ${r.confidence.toFixed(2)}${r.confidence < 0.5 ? ' (low: check by ear)' : ''}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!found || saving}>
          Use these offsets
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Leave them
        </button>
      </div>
      <InlineError message={error} />
    </form>
  );
}
