import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClipJobView } from '../../../shared/contract';
import { api, errorMessage } from '../api';

/** A clip or playlist being made in the background: its progress, its end, and a way to cancel it. */
export function useClipJob() {
  const [job, setJob] = useState<ClipJobView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const jobId = useRef<string | null>(null);
  useEffect(() => {
    const offProgress = api.on('clip:progress', (j) => j.id === jobId.current && setJob(j));
    const offDone = api.on('clip:finished', (f) => {
      if (f.job.id !== jobId.current) return;
      jobId.current = null;
      setJob(null);
      if (f.result) setDone(`Saved ${f.result.out} (${(f.result.bytes / 1e6).toFixed(1)} MB).`);
      else setError(f.error?.message ?? 'Nothing was made.');
    });
    return () => {
      offProgress();
      offDone();
    };
  }, []);
  const start = useCallback(async (begin: () => Promise<ClipJobView>) => {
    setError(null);
    setDone(null);
    try {
      const j = await begin();
      jobId.current = j.id;
      setJob(j);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  const cancel = useCallback(() => {
    if (jobId.current) void api.call('clips:cancel', { id: jobId.current });
  }, []);
  return { job, done, error, setError, start, cancel };
}
