/**
 * Who speaks when, and where each recording sits on the session's clock.
 *
 * - Speaker lanes, silences, overlaps and talk figures of a session, from the speech frames stored
 *   with its recordings (shared/talk.ts has the rules); for recordings imported before speech
 *   frames existed, `analyze` decodes their audio once and stores them.
 * - Lane names (therapist, patient) kept once per case.
 * - Automatic alignment of every recording against the main one (align.ts), shown and optionally
 *   applied as the recordings' offsets.
 */
import { AppError } from '../../shared/errors';
import { sessionDurationMs } from '../../shared/segment-rules';
import {
  speakerActivity,
  talkFigures,
  DEFAULT_SILENCE_MS,
  type SessionAlignment,
  type SessionTalk,
  type SpeechSource,
} from '../../shared/talk';
import { write, type Db } from '../db/open';
import type { Repos } from '../library/repositories';
import { alignRecordings } from './align';
import type { LibraryService } from '../library/library';
import { analyzeAudio } from '../media/media';
import { ffmpegInput } from '../protection/media-crypt';

export class TalkService {
  constructor(
    private readonly db: Db,
    private readonly repos: Repos,
    private readonly library: LibraryService,
  ) {}

  /** The session's speaker lanes and talk figures. */
  session(sessionId: number, silenceMs = DEFAULT_SILENCE_MS): SessionTalk {
    if (!Number.isInteger(silenceMs) || silenceMs < 500 || silenceMs > 600_000)
      throw new AppError('INVALID_INPUT', 'The silence length must be between 0.5 s and 10 minutes.');
    const session = this.library.getSession(sessionId);
    const recordings = this.repos.recordings.listBySession(sessionId);
    const durationMs = sessionDurationMs(recordings);
    const sources: SpeechSource[] = [];
    const unanalysed: { id: number; fileName: string }[] = [];
    for (const r of recordings) {
      if (!r.hasAudio) continue;
      const channels = this.repos.recordings.speechFrames(r.id);
      if (channels.length === 0) unanalysed.push({ id: r.id, fileName: r.fileName });
      else
        sources.push({ recordingId: r.id, fileName: r.fileName, offsetMs: r.offsetMs, hasVideo: r.hasVideo, channels });
    }
    const names = this.repos.cases.speakerNames(session.caseId);
    const activity = speakerActivity(sources, durationMs, names, silenceMs);
    return {
      sessionId,
      durationMs,
      activity,
      figures: activity ? talkFigures(activity, durationMs) : null,
      unanalysed,
    };
  }

  /**
   * Computes the speech frames of the session's recordings that have none (one decode each, the
   * same as at import), storing each as it finishes.
   */
  async analyze(
    sessionId: number,
    onProgress?: (done: number, total: number, fileName: string) => void,
    signal?: AbortSignal,
  ): Promise<SessionTalk> {
    const pending = this.session(sessionId).unanalysed;
    let done = 0;
    for (const { id } of pending) {
      const rec = this.library.stored(id);
      const state = this.library.withState(rec).state;
      if (state !== 'ready')
        throw new AppError(
          'FILE_MISSING',
          `${rec.fileName} is not where it was imported from, so its speech cannot be analysed. Relink it first.`,
        );
      const audio = rec.probe.streams.find((s) => s.kind === 'audio');
      const { speech } = await analyzeAudio(
        await ffmpegInput(rec.path),
        rec.durationMs,
        { channels: audio?.channels ?? 1, speech: true },
        (f) => onProgress?.(done + f, pending.length, rec.fileName),
        signal,
      );
      if (this.repos.recordings.get(id)) this.repos.recordings.setSpeechFrames(id, speech ?? []);
      done++;
      onProgress?.(done, pending.length, rec.fileName);
    }
    return this.session(sessionId);
  }

  /** Names (or, with an empty name, un-names) a speaker lane for every session of a case. */
  setSpeakerName(caseId: number, laneKey: string, name: string): Record<string, string> {
    this.library.getCase(caseId);
    if (!/^(left|right|voice|file\d{1,2})$/.test(laneKey))
      throw new AppError('INVALID_INPUT', `"${laneKey}" is not a speaker lane (left, right, voice, file1, file2, …).`);
    const trimmed = name.normalize('NFC').trim();
    if (trimmed.length > 60) throw new AppError('INVALID_INPUT', 'A lane name is at most 60 characters.');
    write(this.db, () => this.repos.cases.setSpeakerName(caseId, laneKey, trimmed || null));
    return this.repos.cases.speakerNames(caseId);
  }

  /**
   * Finds each recording's offset against the main one (the first with audio) by its audio; with
   * `apply`, stores the offsets found (all in one transaction; recordings without a match keep
   * theirs).
   */
  async align(sessionId: number, apply = false): Promise<SessionAlignment> {
    this.library.getSession(sessionId);
    const recordings = this.repos.recordings.listBySession(sessionId);
    const main = recordings.find((r) => r.hasAudio && this.repos.recordings.peaks(r.id, 'detail'));
    const result: SessionAlignment = {
      sessionId,
      main: main ? { recordingId: main.id, fileName: main.fileName, offsetMs: main.offsetMs } : null,
      recordings: [],
      applied: false,
    };
    if (!main) return result;
    const detail = (id: number) => {
      const row = this.repos.recordings.peaks(id, 'detail');
      return row ? new Int8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null;
    };
    const mainInput = { peaks: detail(main.id)!, path: main.path, durationMs: main.durationMs };
    for (const r of recordings) {
      if (r.id === main.id) continue;
      const base = { recordingId: r.id, fileName: r.fileName, currentOffsetMs: r.offsetMs };
      const peaks = r.hasAudio ? detail(r.id) : null;
      if (!peaks) {
        result.recordings.push({
          ...base,
          foundOffsetMs: null,
          confidence: 0,
          correlation: 0,
          refined: false,
          message: `${r.fileName} has no audio, so it cannot be aligned by sound. Set its offset by hand.`,
        });
        continue;
      }
      const found = await alignRecordings(mainInput, { peaks, path: r.path, durationMs: r.durationMs });
      result.recordings.push({
        ...base,
        foundOffsetMs: found.lagMs === null ? null : main.offsetMs + found.lagMs,
        confidence: found.confidence,
        correlation: found.correlation,
        refined: found.refined,
        message: found.message,
      });
    }
    if (apply) {
      write(this.db, () => {
        for (const a of result.recordings) {
          if (a.foundOffsetMs !== null && this.repos.recordings.get(a.recordingId))
            this.repos.recordings.setOffset(a.recordingId, a.foundOffsetMs);
        }
      });
      result.applied = true;
    }
    return result;
  }
}
