/**
 * `transcripts transcribe SESSION_ID --model FILE [--language CODE] [--recording ID]`: transcribes
 * a session on this computer through the front door, with a progress bar; Ctrl+C stops it keeping
 * what is done, and the same command again goes on from there.
 */
import type { Core } from '../app';
import type { CliCall } from '../rpc/types';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import type { TranscriptionView } from '../../shared/contract';
import { untilInterrupted } from '../../cli/interrupt';

interface Out {
  stdout: (s: string) => void;
  progress: (fraction: number, done?: boolean) => void;
}

export async function transcribeCommand(
  core: Core,
  call: CliCall,
  args: string[],
  values: { model?: string; language?: string; recording?: string; json?: boolean },
  out: Out,
): Promise<number> {
  const usage =
    'Use: alliance-review transcripts transcribe SESSION_ID --model FILE [--language CODE] [--recording ID] (the model is a whisper.cpp file on this computer; nothing is downloaded).';
  const sessionId = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(sessionId) || sessionId < 1) throw new AppError('INVALID_INPUT', usage);
  if (!values.model) throw new AppError('INVALID_INPUT', `--model FILE is required. ${usage}`);
  const recordingId = values.recording === undefined ? null : Number(values.recording);
  if (recordingId !== null && (!Number.isInteger(recordingId) || recordingId < 1))
    throw new AppError('INVALID_INPUT', `--recording takes a recording's id; "${values.recording}" is not one.`);
  const started = await call('transcript:transcribe', {
    sessionId,
    model: values.model,
    language: values.language ?? null,
    recordingId,
  });
  if (!values.json && started.chunksDone > 0)
    out.stdout(
      `Going on from ${formatTime(started.doneMs)} (${started.chunksDone} of ${started.chunks} chunks done before).\n`,
    );
  // Ctrl+C (or a polite kill) stops it; what is done is kept.
  const end = await untilInterrupted(async (signal) => {
    signal.addEventListener('abort', () => void core.transcription.cancel(sessionId), { once: true });
    let view: TranscriptionView | null = started;
    while (view && view.state === 'running') {
      out.progress(view.totalMs ? view.doneMs / view.totalMs : 0);
      await new Promise((r) => setTimeout(r, 250));
      view = core.transcription.status(sessionId);
    }
    return view!;
  });
  out.progress(1, true);
  if (values.json) out.stdout(`${JSON.stringify(end, null, 2)}\n`);
  else {
    out.stdout(
      `${end.state === 'done' ? 'Transcribed' : end.state === 'paused' ? 'Stopped' : 'Failed'}: ${end.utterances} utterance${end.utterances === 1 ? '' : 's'} from ${formatTime(end.doneMs)} of ${formatTime(end.totalMs)} with ${end.model}${end.error ? ` — ${end.error}` : ''}.\n`,
    );
    for (const n of end.notes) out.stdout(`  note: ${n}\n`);
  }
  return end.state === 'done' ? 0 : 1;
}
