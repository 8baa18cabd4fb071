import { useEffect, useRef } from 'react';
import type { Recording } from '../../../shared/domain';
import { api } from '../api';
import { useAudioLevel } from './audio-mix';

/** A further camera angle or recorder (muted unless chosen to be heard), kept within 150 ms of the main recording using the offsets. */
export function SyncedVideo({
  recording,
  primaryOffsetMs,
  master,
}: {
  recording: Recording;
  primaryOffsetMs: number;
  master: HTMLMediaElement;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const level = useAudioLevel(recording.id, false);
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
      if (Math.abs(v.currentTime - t) > 0.15 && inRange) v.currentTime = t;
      v.playbackRate = master.playbackRate;
      if (!master.paused && inRange && !idle && v.paused) void v.play().catch(() => undefined);
      if ((master.paused || !inRange || idle) && !v.paused) v.pause();
    };
    const events = ['timeupdate', 'seeked', 'play', 'pause', 'ratechange'];
    events.forEach((e) => master.addEventListener(e, sync));
    sync();
    return () => events.forEach((e) => master.removeEventListener(e, sync));
  }, [master, primaryOffsetMs, recording.offsetMs, recording.durationMs, idle]);
  return (
    <video
      ref={ref}
      src={api.mediaUrl(recording.id)}
      muted
      preload="auto"
      className={recording.hasVideo ? undefined : 'audio-only'}
      aria-label={`${recording.hasVideo ? 'Angle' : 'Recorder'} ${recording.fileName}`}
    />
  );
}
