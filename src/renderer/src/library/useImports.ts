import { useEffect, useState } from 'react';
import type { ImportJob } from '../../../shared/domain';
import type { AppErrorShape } from '../../../shared/errors';
import { api } from '../api';

export interface FinishedNotice {
  job: ImportJob;
  error: AppErrorShape | null;
}

/** Running imports (from the core's events) and the outcome of those that ended. */
export function useImports(onFinished: () => void) {
  const [jobs, setJobs] = useState<Record<string, ImportJob>>({});
  const [notices, setNotices] = useState<FinishedNotice[]>([]);
  useEffect(() => {
    let alive = true;
    void api.call('imports:list', {}).then((list) => {
      if (alive) setJobs(Object.fromEntries(list.map((j) => [j.id, j])));
    });
    const offProgress = api.on('import:progress', (job) => setJobs((prev) => ({ ...prev, [job.id]: job })));
    const offFinished = api.on('import:finished', ({ job, error }) => {
      setJobs((prev) => {
        const next = { ...prev };
        delete next[job.id];
        return next;
      });
      if (error && error.code !== 'CANCELLED') setNotices((prev) => [...prev, { job, error }]);
      onFinished();
    });
    return () => {
      alive = false;
      offProgress();
      offFinished();
    };
  }, [onFinished]);
  return {
    jobs: Object.values(jobs),
    notices,
    dismiss: (jobId: string) => setNotices((prev) => prev.filter((n) => n.job.id !== jobId)),
  };
}
