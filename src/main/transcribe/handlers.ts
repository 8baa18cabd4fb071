/**
 * Transcription for the app: start (or resume) in the background, cancel, and the state. The
 * progress goes out as `transcript:progress` events; the utterances land in the transcript store.
 */
import type { Core } from '../app';
import type { HandlerSlice } from '../rpc/types';

export function transcribeHandlers(
  core: Core,
): HandlerSlice<'transcript:transcribe' | 'transcript:cancelTranscription' | 'transcript:transcription'> {
  return {
    'transcript:transcribe': async (i) => {
      const { job, done } = await core.transcription.start(i.sessionId, {
        model: i.model,
        language: i.language,
        recordingId: i.recordingId,
      });
      // It runs on; its end is told by the progress event (and kept in the job).
      void done.catch(() => undefined);
      return job;
    },
    'transcript:cancelTranscription': (i) => core.transcription.cancel(i.sessionId),
    'transcript:transcription': (i) => core.transcription.status(i.sessionId),
  };
}
