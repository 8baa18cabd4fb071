/** Small library fixtures that need no media decoding (a recording row stands for a file). */
import type { Core } from '../../src/main/app';

/** Adds a case, a session and a 10-minute recording row (no file behind it) to `core`. */
export function seedSession(core: Core, code = 'C-1', offsetMs = 0, durationMs = 600_000) {
  const c = core.repos.cases.byCode(code) ?? core.library.createCase({ code, therapist: '', notes: '' });
  const number = core.repos.sessions.listByCase(c.id).length + 1;
  const s = core.library.createSession({ caseId: c.id, number, date: null, modality: '', notes: '' });
  const rec = core.repos.recordings.insert({
    sessionId: s.id,
    path: `/nonexistent/${code}-${number}.mp4`,
    fileName: `${code}-${number}.mp4`,
    sizeBytes: 1000,
    fingerprint: `fp-${code}-${number}-${offsetMs}`,
    managed: false,
    offsetMs,
    durationMs,
    hasAudio: true,
    hasVideo: true,
    probe: { formatName: 'mp4', durationMs, streams: [{ kind: 'audio', codec: 'aac' }] },
    peaks: [],
  });
  return { caseId: c.id, sessionId: s.id, recordingId: rec.id };
}
