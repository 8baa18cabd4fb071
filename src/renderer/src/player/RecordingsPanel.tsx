import { memo, useEffect, useState } from 'react';
import type { Recording, ScrubStatus } from '../../../shared/domain';
import type { RecordingAlignment, SessionAlignment } from '../../../shared/talk';
import { formatDuration } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { ConfirmInline } from '../ui/ConfirmInline';
import { audioMix, useAudioLevel } from './audio-mix';
import { heardReason } from '../../../shared/heard';

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
  /** The scrub aids' states, by recording. */
  scrub?: Map<number, ScrubStatus>;
}) {
  const { recordings } = props;
  const [alignment, setAlignment] = useState<SessionAlignment | null>(null);
  const [aligning, setAligning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sessionId = recordings[0]?.sessionId;
  const align = async () => {
    if (sessionId === undefined) return;
    setAligning(true);
    try {
      setAlignment(await api.call('recordings:align', { sessionId, apply: false }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setAligning(false);
    }
  };
  const found = (id: number) => alignment?.recordings.find((a) => a.recordingId === id) ?? null;
  return (
    <div className="recordings-panel" aria-label="Recordings">
      {recordings.filter((r) => r.hasAudio).length > 1 && (
        <div className="align-bar">
          <button type="button" onClick={() => void align()} disabled={aligning}>
            {aligning ? 'Listening for matching sound…' : 'Align by sound'}
          </button>
          {alignment?.main && (
            <span className="small muted">against {alignment.main.fileName} (the first recording with audio)</span>
          )}
        </div>
      )}
      <InlineError message={error} onDismiss={() => setError(null)} />
      <ul>
        {recordings.map((r) => (
          <RecordingRow
            key={r.id}
            r={r}
            primary={r.id === props.primaryId}
            found={found(r.id)}
            scrub={props.scrub?.get(r.id) ?? null}
            onPrimary={props.onPrimary}
            onChanged={props.onChanged}
          />
        ))}
      </ul>
      <p className="hint">
        Offsets line up several files of one session (e.g. two cameras and a separate audio recorder): a file with
        offset 1500 starts 1.5 s into the session. “Align by sound” finds them from the audio; tick “Heard” on two
        recordings to check an offset by ear (a misaligned pair sounds like an echo).
      </p>
    </div>
  );
});

/** One frame of a recording (or of 25 fps when it has no video), in ms. */
function frameMs(r: Recording): number {
  const fps = r.probe.streams.find((s) => s.kind === 'video')?.fps;
  return fps ? Math.round(1000 / fps) : 40;
}

const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(3)} s`;

function RecordingRow({
  r,
  primary,
  found,
  scrub,
  onPrimary,
  onChanged,
}: {
  r: Recording;
  primary: boolean;
  found: RecordingAlignment | null;
  scrub: ScrubStatus | null;
  onPrimary: (id: number) => void;
  onChanged: () => void;
}) {
  const [offset, setOffset] = useState(String(r.offsetMs));
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const remove = async () => {
    try {
      await api.call('recordings:remove', { id: r.id });
      setRemoving(false);
      onChanged();
    } catch (e) {
      setRemoving(false);
      setError(errorMessage(e));
    }
  };
  useEffect(() => setOffset(String(r.offsetMs)), [r.offsetMs]);
  const level = useAudioLevel(r.id);
  const byDefault = audioMix.defaultId() === r.id;
  const saveOffset = async (value = offset) => {
    const n = Number(value);
    if (!Number.isInteger(n)) return setError('The offset is a whole number of milliseconds.');
    if (Math.abs(n) > 86_400_000) return setError('The offset is at most a day (86,400,000 ms) either way.');
    setOffset(String(n));
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
      <div className="offset-row">
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
        <span className="nudges" role="group" aria-label={`Nudge the offset of ${r.fileName}`}>
          {[
            [-frameMs(r), '−1 frame'],
            [-10, '−10 ms'],
            [10, '+10 ms'],
            [frameMs(r), '+1 frame'],
          ].map(([d, label]) => (
            <button
              key={label}
              type="button"
              className="small"
              onClick={() => void saveOffset(String((Number(offset) || 0) + (d as number)))}
            >
              {label}
            </button>
          ))}
        </span>
      </div>
      {found && (
        <div className="small align-found" role="status">
          {found.foundOffsetMs === null ? (
            found.message
          ) : found.foundOffsetMs === r.offsetMs ? (
            <>Aligned by sound (confidence {found.confidence.toFixed(2)}).</>
          ) : (
            <>
              Sound matches at {signed(found.foundOffsetMs)} (offset {found.foundOffsetMs} ms, confidence{' '}
              {found.confidence.toFixed(2)}).{' '}
              <button type="button" onClick={() => void saveOffset(String(found.foundOffsetMs))}>
                Use {found.foundOffsetMs} ms
              </button>
            </>
          )}
        </div>
      )}
      {r.hasAudio && (
        <div className="small audio-level">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={level.heard}
              onChange={(e) => audioMix.set(r.id, { heard: e.target.checked })}
            />
            Heard
          </label>
          {byDefault && <span className="muted"> by default: {heardReason(r)}</span>}
          <label>
            <span className="sr-only">Volume of {r.fileName}</span>
            <input
              type="range"
              min={0}
              max={100}
              value={Math.round(level.volume * 100)}
              aria-valuetext={`${Math.round(level.volume * 100)} %`}
              onChange={(e) => audioMix.set(r.id, { volume: Number(e.target.value) / 100 })}
            />
          </label>
        </div>
      )}
      {r.managed && <div className="small muted">Copied into the library folder</div>}
      <div className="small">
        {removing ? (
          <ConfirmInline
            label={`Remove ${r.fileName}`}
            text={`Remove ${r.fileName} from this session? ${r.managed ? 'Its copy in the library folder goes; the original stays.' : 'The file itself stays where it is.'} Segments and comments stay on the session's clock.`}
            action="Remove recording"
            cancel="Keep it"
            onConfirm={() => void remove()}
            onCancel={() => setRemoving(false)}
          />
        ) : (
          <button type="button" className="link" onClick={() => setRemoving(true)} aria-label={`Remove ${r.fileName}…`}>
            Remove…
          </button>
        )}
      </div>
      {scrub && <ScrubLine s={scrub} />}
      <InlineError message={error} />
    </li>
  );
}

/** What the scrub aid of a recording is doing. */
function ScrubLine({ s }: { s: ScrubStatus }) {
  const text: Record<ScrubStatus['state'], string | null> = {
    none: null,
    queued: 'Scrub aid: waiting to be built',
    building: `Scrub aid: building, ${s.percent} %`,
    ready: 'Scrub aid ready: seeking and dragging follow at once',
    'not-needed': null,
    failed: `Scrub aid failed: ${s.message ?? 'unknown error'} (seeking still works, more slowly)`,
  };
  const t = text[s.state];
  if (!t) return null;
  return (
    <div
      className={`small ${s.state === 'failed' ? 'attention' : 'muted'}`}
      role={s.state === 'building' ? 'status' : undefined}
    >
      {s.state === 'building' && <progress max={100} value={s.percent} aria-hidden="true" />} {t}
    </div>
  );
}
