/**
 * The session document written by `export --format json`. Pseudonymous by construction: the
 * case appears by its code, and absolute file paths (which often carry names) are left out
 * unless asked for.
 */
import type { LibraryService } from './library';

export const SESSION_DOCUMENT_VERSION = 1;

export function sessionDocument(library: LibraryService, sessionId: number, options: { includePaths?: boolean } = {}) {
  const d = library.sessionDetail(sessionId);
  return {
    format: 'alliance-review/session',
    version: SESSION_DOCUMENT_VERSION,
    exportedAt: new Date().toISOString(),
    case: { code: d.case.code, therapist: d.case.therapist },
    session: {
      id: d.session.id,
      number: d.session.number,
      date: d.session.date,
      modality: d.session.modality,
      notes: d.session.notes,
    },
    recordings: d.recordings.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      ...(options.includePaths ? { path: r.path } : {}),
      state: r.state,
      offsetMs: r.offsetMs,
      durationMs: r.durationMs,
      sizeBytes: r.sizeBytes,
      fingerprint: r.fingerprint,
      hasAudio: r.hasAudio,
      hasVideo: r.hasVideo,
      probe: r.probe,
      peaks: {
        resolutions: r.peaks.map((p) => ({ level: p.level, pairsPerSecond: p.pairsPerSecond, count: p.count })),
        count: r.peaks.length,
      },
    })),
  };
}
