/**
 * The session's clock in the player. The main recording plays in its own file time; its offset
 * places it on the session's clock, which every time in the app is on (segments, the ruler,
 * typed times). Which recording is shown big never changes a time.
 */

/** Reads and sets the session time through the main recording's media element. */
export function mediaClock(media: HTMLMediaElement, offsetMs: number, fileDurationMs: number) {
  return {
    /** Now, on the session's clock. */
    nowMs: (): number => Math.round(media.currentTime * 1000) + offsetMs,
    /** Seeks to a session time; outside the main recording it stops at the recording's edge. */
    seekMs: (sessionMs: number): void => {
      media.currentTime = Math.max(0, Math.min(fileDurationMs, sessionMs - offsetMs)) / 1000;
    },
  };
}
export type MediaClock = ReturnType<typeof mediaClock>;

/**
 * Places a recording's waveform channels on the session's clock: silence before a recording
 * that starts late (positive offset), the first part cut off for one that started before the
 * session (negative offset), silence after it up to the session's end.
 */
export function placeOnClock(
  channels: [Float32Array, Float32Array],
  pairsPerSecond: number,
  offsetMs: number,
  sessionDurationMs: number,
): [Float32Array, Float32Array] {
  const total = Math.max(1, Math.round((sessionDurationMs / 1000) * pairsPerSecond));
  const shift = Math.round((offsetMs / 1000) * pairsPerSecond);
  if (shift === 0 && channels[0].length === total) return channels;
  return channels.map((ch) => {
    const out = new Float32Array(total);
    const from = Math.max(0, -shift);
    const to = Math.min(ch.length, total - shift);
    if (to > from) out.set(ch.subarray(from, to), from + shift);
    return out;
  }) as [Float32Array, Float32Array];
}
