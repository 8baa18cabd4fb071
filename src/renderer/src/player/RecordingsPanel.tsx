import { memo, useState } from 'react';
import type { Recording } from '../../../shared/domain';
import { formatDuration } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';

export function describeStreams(r: Recording): string {
  return r.probe.streams
    .map((s) =>
      s.kind === 'video'
        ? `${s.codec} ${s.width ?? '?'}×${s.height ?? '?'}${s.fps ? ` ${s.fps} fps` : ''}`
        : `${s.codec}${s.sampleRate ? ` ${s.sampleRate / 1000} kHz` : ''}${s.channels ? ` ${s.channels} ch` : ''}`,
    )
    .join(' · ');
}

/** The session's recordings: which one leads, their offsets and what the files contain. */
export const RecordingsPanel = memo(function RecordingsPanel(props: {
  recordings: Recording[];
  primaryId: number | null;
  onPrimary: (id: number) => void;
  onChanged: () => void;
}) {
  return (
    <div className="recordings-panel" aria-label="Recordings">
      <ul>
        {props.recordings.map((r) => (
          <RecordingRow key={r.id} r={r} primary={r.id === props.primaryId} {...props} />
        ))}
      </ul>
      <p className="hint">
        Offsets line up several files of one session (e.g. two cameras and a separate audio recorder): a file with
        offset 1500 starts 1.5 s into the session.
      </p>
    </div>
  );
});

function RecordingRow({
  r,
  primary,
  onPrimary,
  onChanged,
}: {
  r: Recording;
  primary: boolean;
  onPrimary: (id: number) => void;
  onChanged: () => void;
}) {
  const [offset, setOffset] = useState(String(r.offsetMs));
  const [error, setError] = useState<string | null>(null);
  const saveOffset = async () => {
    const n = Number(offset);
    if (!Number.isInteger(n)) return setError('The offset is a whole number of milliseconds.');
    if (n === r.offsetMs) return;
    try {
      await api.call('recordings:update', { id: r.id, offsetMs: n });
      setError(null);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <li className={`recording${primary ? ' is-primary' : ''}`} aria-label={`Recording ${r.fileName}`}>
      <div className="rec-head">
        <label className="checkbox">
          <input
            type="radio"
            name="primary"
            checked={primary}
            onChange={() => onPrimary(r.id)}
            disabled={r.state !== 'ready'}
          />
          <span className="file" title={r.path}>
            {r.fileName}
          </span>
        </label>
        <span className="tabular muted">{formatDuration(r.durationMs)}</span>
      </div>
      <div className="muted small">{describeStreams(r)}</div>
      {!r.hasAudio && <div className="small">No audio track</div>}
      {r.state !== 'ready' && (
        <div className="small attention">
          ⚠ {r.state === 'missing' ? 'File moved or deleted' : 'File changed'} — relink it in the library.
        </div>
      )}
      <label className="small offset">
        Offset (ms)
        <input
          inputMode="numeric"
          value={offset}
          onChange={(e) => setOffset(e.target.value)}
          onBlur={() => void saveOffset()}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        />
      </label>
      {r.managed && <div className="small muted">Copied into the library folder</div>}
      <InlineError message={error} />
    </li>
  );
}
