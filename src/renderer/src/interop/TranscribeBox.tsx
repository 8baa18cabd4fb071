import { useEffect, useRef, useState } from 'react';
import type { TranscriptionView } from '../../../shared/contract';
import { formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { FileField } from '../packages/PackageParts';
import { InlineError } from '../ui/InlineError';

const LANGUAGES: [string, string][] = [
  ['', 'Found by the model'],
  ['en', 'English'],
  ['de', 'German'],
  ['fr', 'French'],
  ['es', 'Spanish'],
  ['it', 'Italian'],
  ['nl', 'Dutch'],
  ['pt', 'Portuguese'],
];

/**
 * "Transcribe…": the session's audio through a speech-recognition model on this computer (a
 * whisper.cpp file the user has; nothing is downloaded), with its progress and Cancel. A stopped
 * transcription goes on from where it stopped with the same model. `onChanged` is told whenever
 * new utterances have been stored.
 */
export function TranscribeBox(props: { sessionId: number; onChanged: () => void }) {
  const { sessionId, onChanged } = props;
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<TranscriptionView | null>(null);
  const [model, setModel] = useState('');
  const [language, setLanguage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;

  useEffect(() => {
    let live = true;
    api.call('transcript:transcription', { sessionId }).then(
      (j) => live && setJob(j),
      () => undefined,
    );
    const off = api.on('transcript:progress', (j) => {
      if (j.sessionId !== sessionId) return;
      setJob((before) => {
        // A chunk finished (or the job ended): its utterances are in the store.
        if (!before || before.chunksDone !== j.chunksDone || j.state !== 'running') changed.current();
        return j;
      });
    });
    return () => {
      live = false;
      off();
    };
  }, [sessionId]);

  const start = async () => {
    try {
      setError(null);
      setJob(
        await api.call('transcript:transcribe', { sessionId, model, language: language || null, recordingId: null }),
      );
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const cancel = async () => {
    try {
      setJob(await api.call('transcript:cancelTranscription', { sessionId }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const running = job?.state === 'running';
  const pct = job && job.totalMs ? Math.round((job.doneMs / job.totalMs) * 100) : 0;
  return (
    <section className="transcribe-box" aria-label="Transcribe on this computer">
      {running && job ? (
        <div className="transcribe-progress">
          <label className="grow">
            Transcribing with {job.model}: {formatTime(job.doneMs, false)} of {formatTime(job.totalMs, false)} (
            {job.utterances} {job.utterances === 1 ? 'utterance' : 'utterances'} so far)
            <progress max={100} value={pct} aria-valuetext={`${pct} %`} />
          </label>
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="fb-bar">
          <button
            type="button"
            ref={opener}
            onClick={() => {
              setOpen((o) => !o);
              // The same model again (a stopped transcription goes on with it).
              if (job && !model) setModel(job.modelPath);
            }}
            aria-expanded={open}
          >
            Transcribe…
          </button>
          {job && (
            <span className="muted small" role="status">
              {job.state === 'done'
                ? `Machine-made with ${job.model}: ${job.utterances} ${job.utterances === 1 ? 'utterance' : 'utterances'}. Check it against the recording.`
                : job.state === 'paused'
                  ? `Stopped at ${formatTime(job.doneMs, false)} of ${formatTime(job.totalMs, false)} (${job.model}): Transcribe… with the same model goes on.`
                  : `Failed: ${job.error ?? 'the engine stopped'}`}
            </span>
          )}
        </div>
      )}
      {open && !running && (
        <form
          className="inline-form packages-form transcribe-form"
          aria-label="Transcribe the session"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setOpen(false);
              opener.current?.focus();
            }
          }}
        >
          <p className="muted small">
            Runs a speech-recognition model you have on this computer (a whisper.cpp <code>.bin</code> file); nothing is
            downloaded and no recording leaves the machine. Speakers come from the talk lanes when each has their own
            microphone.
          </p>
          <FileField label="Model file" value={model} onChange={setModel} mode="open" />
          <label>
            Language
            <select value={language} onChange={(e) => setLanguage(e.target.value)}>
              {LANGUAGES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={!model.trim()}>
              {job?.state === 'paused' ? 'Go on' : 'Start'}
            </button>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                opener.current?.focus();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      <InlineError message={error} onDismiss={() => setError(null)} />
    </section>
  );
}
