import { useCallback, useEffect, useRef, useState } from 'react';
import type { Recording } from '../../../shared/domain';
import { api } from '../api';
import { useAudioLevel } from './audio-mix';
import { onTimeupdate, quietTimeupdates } from './playback-loop';
import { ScrubProxy } from './ScrubProxy';

/**
 * A further camera angle or recorder (muted unless chosen to be heard), kept in step with the main
 * recording using the offsets: seeked when far off or paused, sped up or slowed a little while
 * playing.
 */
export function SyncedVideo({
  recording,
  primaryOffsetMs,
  master,
  cell,
  scrubUrl,
}: {
  recording: Recording;
  primaryOffsetMs: number;
  master: HTMLMediaElement;
  /** Side by side: the stage's grid column this angle (and its scrub aid over it) takes. */
  cell?: number;
  /** This angle's scrub aid, when built and the angle is shown big enough to scrub. */
  scrubUrl?: string | null;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const [element, setElement] = useState<HTMLVideoElement | null>(null);
  const attach = useCallback((el: HTMLVideoElement | null) => {
    ref.current = el;
    setElement(el);
  }, []);
  // Its `timeupdate`s (nobody here needs them) stop at the window, as the main video's do.
  useEffect(() => (element ? quietTimeupdates(element) : undefined), [element]);
  const level = useAudioLevel(recording.id);
  // A recorder without video plays only while it is heard (nothing to see otherwise).
  const idle = !recording.hasVideo && !level.heard;
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    v.muted = !level.heard;
    v.volume = level.volume;
  }, [level]);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    const target = () => master.currentTime + (primaryOffsetMs - recording.offsetMs) / 1000;
    const sync = () => {
      const t = target();
      const inRange = t >= 0 && t <= recording.durationMs / 1000;
      const drift = v.currentTime - t;
      const playing = !master.paused && !v.paused;
      // Far off, or paused (the frame must be the one shown): seek. Playing and a little off:
      // run 6 % faster or slower until in step, as a seek lands late by its own decode time
      // (an inset that was re-seeked ran 0.1 s behind).
      if (
        inRange &&
        (Math.abs(drift) > (playing ? 0.5 : 0.04) || (!playing && master.paused && Math.abs(drift) > 0.04))
      )
        v.currentTime = t;
      const trim = playing && Math.abs(drift) > 0.02 ? (drift > 0 ? 0.94 : 1.06) : 1;
      v.playbackRate = master.playbackRate * trim;
      if (!master.paused && inRange && !idle && v.paused) void v.play().catch(() => undefined);
      if ((master.paused || !inRange || idle) && !v.paused) v.pause();
    };
    const events = ['seeked', 'play', 'pause', 'ratechange'];
    events.forEach((e) => master.addEventListener(e, sync));
    const offTime = onTimeupdate(master, sync);
    sync();
    return () => {
      offTime();
      events.forEach((e) => master.removeEventListener(e, sync));
    };
  }, [master, primaryOffsetMs, recording.offsetMs, recording.durationMs, idle]);
  const place = cell ? { gridColumn: cell, gridRow: 1 } : undefined;
  return (
    <>
      <video
        ref={attach}
        src={api.mediaUrl(recording.id)}
        muted
        preload="auto"
        style={place}
        className={recording.hasVideo ? undefined : 'audio-only'}
        aria-label={`${recording.hasVideo ? 'Angle' : 'Recorder'} ${recording.fileName}`}
      />
      {scrubUrl && element && <ScrubProxy key={scrubUrl} master={element} url={scrubUrl} style={place} />}
    </>
  );
}
