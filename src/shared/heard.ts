/**
 * Which recording of a session is heard by default, in the player and in clips: a stereo recorder
 * (one microphone per channel, no picture) over a camera's microphone, then any stereo recording,
 * then a recorder, then the main recording. The player can change it (Recordings tab); clips take
 * their sound from it wherever it covers the clip.
 */
import type { Recording } from './domain';

type Candidate = Pick<Recording, 'id' | 'state' | 'hasAudio' | 'hasVideo' | 'probe'>;

const channelsOf = (r: Candidate) =>
  Math.max(0, ...r.probe.streams.map((s) => (s.kind === 'audio' ? (s.channels ?? 1) : 0)));

/** How good a recording is to listen to (higher is better); null without sound or file. */
function score(r: Candidate): number | null {
  if (r.state !== 'ready' || !r.hasAudio) return null;
  const stereo = channelsOf(r) >= 2;
  return (stereo ? 2 : 0) + (r.hasVideo ? 0 : 1);
}

/** The recording heard by default (the main one wins a tie), or null when none has sound. */
export function heardByDefault(recordings: Candidate[], mainId: number | null): number | null {
  let best: Candidate | null = null;
  let bestScore = -1;
  for (const r of recordings) {
    const s = score(r);
    if (s === null) continue;
    if (s > bestScore || (s === bestScore && r.id === mainId)) {
      best = r;
      bestScore = s;
    }
  }
  return best?.id ?? null;
}

/** Why a recording is heard by default, in words (the Recordings tab says it). */
export function heardReason(r: Candidate): string {
  const stereo = channelsOf(r) >= 2;
  if (stereo && !r.hasVideo) return 'a separate stereo recorder (one microphone per channel)';
  if (stereo) return 'stereo sound (one microphone per channel)';
  if (!r.hasVideo) return 'a separate sound recorder';
  return 'the main recording';
}
