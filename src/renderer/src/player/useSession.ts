import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Recording, SessionDetail } from '../../../shared/domain';
import { sessionDurationMs } from '../../../shared/segment-rules';
import { api, errorMessage } from '../api';
import { placeOnClock } from './clock';
import { toChannels } from './peaks';

type Channels = [Float32Array, Float32Array];

/**
 * The session in the player: its recordings, which one is shown big, the session's clock
 * (length, the main recording's offset) and the main recording's waveform placed on that clock.
 */
export function useSession(sessionId: number) {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [primaryId, setPrimaryId] = useState<number | null>(null);
  const [waveChannels, setWaveChannels] = useState<Channels | null>(null);
  const [overviewChannels, setOverviewChannels] = useState<Channels | null>(null);
  const [waveNote, setWaveNote] = useState<string | null>(null);
  const peaksRequest = useRef<{ id: number; promise: ReturnType<typeof fetchPeaks> } | null>(null);

  const load = useCallback(() => {
    api.call('sessions:get', { id: sessionId }).then(
      (d) => {
        // Ask for the waveform now, not after the first render: opening a session waits on it.
        const first = pickPrimary(d.recordings);
        if (first?.hasAudio && !peaksRequest.current)
          peaksRequest.current = { id: first.id, promise: fetchPeaks(first.id) };
        setDetail(d);
        setPrimaryId((prev) => prev ?? first?.id ?? null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [sessionId]);
  useEffect(load, [load]);

  const primary = detail?.recordings.find((r) => r.id === primaryId) ?? null;
  const secondaries = useMemo(
    () =>
      detail?.recordings.filter((r) => r.id !== primaryId && r.state === 'ready' && (r.hasVideo || r.hasAudio)) ?? [],
    [detail, primaryId],
  );
  // The session's clock: its length is where its last recording ends; the main recording's
  // offset places it on that clock (see clock.ts).
  const durationMs = useMemo(() => sessionDurationMs(detail?.recordings ?? []), [detail]);
  const offsetMs = primary?.offsetMs ?? 0;
  const fps = primary?.probe.streams.find((s) => s.kind === 'video')?.fps ?? 25;

  // Peaks of the main recording: detail for the waveform, overview for the strip.
  useEffect(() => {
    setWaveChannels(null);
    setOverviewChannels(null);
    setWaveNote(null);
    if (!primary) return;
    if (!primary.hasAudio) {
      setWaveNote('No audio track in this recording, so there is no waveform. The video still plays.');
      return;
    }
    let alive = true;
    const early = peaksRequest.current;
    (early?.id === primary.id ? early.promise : fetchPeaks(primary.id)).then(
      ([d, o]) => {
        if (!alive) return;
        performance.mark('peaks-received');
        const place = (p: typeof d) => placeOnClock(toChannels(p), p.pairsPerSecond, offsetMs, durationMs);
        setWaveChannels(place(d));
        performance.mark('peaks-decoded');
        setOverviewChannels(place(o));
      },
      (e: unknown) => alive && setWaveNote(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [primary?.id, primary?.hasAudio, offsetMs, durationMs]); // eslint-disable-line react-hooks/exhaustive-deps

  return {
    detail,
    error,
    primaryId,
    setPrimaryId,
    load,
    primary,
    secondaries,
    durationMs,
    offsetMs,
    fps,
    waveChannels,
    overviewChannels,
    waveNote,
  };
}

/**
 * A recording's peaks never change (they belong to its content), so the player and the comparison
 * share them: going from one to the other draws the waveform without fetching and decoding them
 * again. A few recordings are kept; a failed fetch is not.
 */
const peaksCache = new Map<number, ReturnType<typeof loadPeaks>>();
function loadPeaks(id: number) {
  return Promise.all([
    api.call('recordings:peaks', { id, level: 'detail' }),
    api.call('recordings:peaks', { id, level: 'overview' }),
  ]);
}
function fetchPeaks(id: number) {
  const hit = peaksCache.get(id);
  if (hit) {
    peaksCache.delete(id);
    peaksCache.set(id, hit);
    return hit;
  }
  const p = loadPeaks(id);
  peaksCache.set(id, p);
  p.catch(() => peaksCache.delete(id));
  while (peaksCache.size > 4) peaksCache.delete(peaksCache.keys().next().value!);
  return p;
}

/** The main recording: the first ready one with video and audio, else any ready one. */
function pickPrimary(recs: Recording[]): Recording | undefined {
  const ready = recs.filter((r) => r.state === 'ready');
  return ready.find((r) => r.hasVideo && r.hasAudio) ?? ready.find((r) => r.hasVideo) ?? ready[0] ?? recs[0];
}
