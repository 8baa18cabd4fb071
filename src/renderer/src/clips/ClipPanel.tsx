import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useClipJob } from './useClipJob';
import { InlineError } from '../ui/InlineError';

/** What to cut: a segment, a comment's span, or a stretch. */
export type ClipTarget =
  { kind: 'segment'; segmentId: number; label: string } | { kind: 'thread'; threadId: number; label: string };

/**
 * A teaching clip, cut in the background: context, audio only, a pixelated picture, the session
 * time and label burned in, the voice pitch-shifted. Shows progress, can be cancelled, and says
 * where the file went. Nothing is written until the clip is whole.
 */
export function ClipPanel(props: { sessionId: number; target: ClipTarget; onClose: () => void }) {
  const { sessionId, target, onClose } = props;
  const [pad, setPad] = useState('2');
  const [audioOnly, setAudioOnly] = useState(false);
  const [blur, setBlur] = useState(false);
  const [timecode, setTimecode] = useState(true);
  const [pitch, setPitch] = useState(false);
  const [out, setOut] = useState('');
  // A protected library keeps no plaintext clip in its own folder: there the place is asked for.
  const [protectedLibrary, setProtectedLibrary] = useState(false);
  useEffect(() => {
    api.call('lock:status', {}).then(
      (s) => setProtectedLibrary(s.protected),
      () => undefined,
    );
  }, []);
  const { job, done, error, setError, start: run, cancel } = useClipJob();
  // The side panel is short on a laptop: a refusal is scrolled into sight, not left below the fold.
  const errorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) errorRef.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  const start = async () => {
    const seconds = Number(pad);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 600) return setError('Context is 0 to 600 seconds.');
    await run(() =>
      api.call('clips:export', {
        sessionId,
        ...(target.kind === 'segment' ? { segmentId: target.segmentId } : { threadId: target.threadId }),
        padMs: Math.round(seconds * 1000),
        audioOnly,
        blur,
        timecode,
        pitch,
        ...(out.trim() ? { out: out.trim() } : {}),
      }),
    );
  };
  const check = (label: string, value: boolean, set: (v: boolean) => void) => (
    <label className="checkbox">
      <input type="checkbox" checked={value} onChange={(e) => set(e.target.checked)} disabled={job !== null} /> {label}
    </label>
  );
  return (
    <form
      className="clip-panel fb-compose"
      aria-label={`Clip of ${target.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <strong>Clip of {target.label}</strong>
      <div className="fb-times">
        <label>
          Context (s){' '}
          <input value={pad} onChange={(e) => setPad(e.target.value)} inputMode="decimal" disabled={job !== null} />
        </label>
        {check('Audio only', audioOnly, setAudioOnly)}
        {check('Pixelate picture', blur, setBlur)}
        {check('Time and label', timecode, setTimecode)}
        {check('Shift voice pitch', pitch, setPitch)}
      </div>
      <label>
        {protectedLibrary ? 'Save as' : 'Save as (optional)'}{' '}
        <input
          value={out}
          onChange={(e) => setOut(e.target.value)}
          placeholder={protectedLibrary ? '…/clip.mp4, outside the library' : "the library's exports folder"}
          disabled={job !== null}
          className="grow"
        />
      </label>
      {job ? (
        <div className="fb-actions">
          <progress max={1} value={job.fraction} aria-label={`Cutting ${job.fileName}`} />
          <span className="tabular">{Math.round(job.fraction * 100)} %</span>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="fb-actions">
          <button type="submit" className="primary" autoFocus>
            Cut clip
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
      {done && (
        <p className="small" role="status">
          {done}
        </p>
      )}
      <div ref={errorRef}>
        <InlineError message={error} />
      </div>
    </form>
  );
}
