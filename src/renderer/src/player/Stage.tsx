import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Recording } from '../../../shared/domain';
import { api } from '../api';
import { InlineError } from '../ui/InlineError';
import { SyncedVideo } from './SyncedVideo';
import { ScrubProxy } from './ScrubProxy';
import { audioMix, useAudioLevel } from './audio-mix';
import { heardByDefault } from '../../../shared/heard';
import { quietTimeupdates } from './playback-loop';

/** The video: the main recording, the further camera angles kept in sync, and what went wrong. */
export const Stage = memo(function Stage(props: {
  primary: Recording | null;
  secondaries: Recording[];
  media: HTMLMediaElement | null;
  mediaRef: (el: HTMLVideoElement | null) => void;
  blurred: boolean;
  mediaError: string | null;
  /** The main recording's scrub aid, when built. */
  scrubUrl?: string | null;
  /** Any recording's scrub aid, when built (the further angles, side by side). */
  scrubUrlOf?: (recordingId: number) => string | null;
}) {
  const { primary, secondaries, media, mediaRef, blurred, mediaError, scrubUrl, scrubUrlOf } = props;
  // Heard by default: a stereo recorder over a camera's microphone, else the main recording.
  const everyRecording = primary ? [primary, ...secondaries] : secondaries;
  const heard = heardByDefault(everyRecording, primary?.id ?? null);
  useEffect(() => audioMix.setDefault(heard), [heard]);
  const level = useAudioLevel(primary?.id ?? null);
  // Several camera angles: one big with the others small (default), or all side by side.
  const [sideBySide, setSideBySide] = useState(false);
  const videoAngles = secondaries.filter((r) => r.hasVideo);
  const angles = videoAngles.length;
  const side = sideBySide && angles > 0 && primary?.hasVideo;
  // The main video is made here rather than rendered by React: React listens to every media
  // event of a <video> it renders, which cost the playing page about 0.2 ms per timeupdate (four
  // a second, for an hour); and its `timeupdate`s stop at the window (see quietTimeupdates). It is
  // the stage's first child, as the rendered one was.
  const stageRef = useRef<HTMLDivElement>(null);
  const ready = primary && primary.state === 'ready' ? primary : null;
  const [readyId, readyName, readyHasVideo] = [ready?.id, ready?.fileName, ready?.hasVideo];
  useLayoutEffect(() => {
    const stage = stageRef.current;
    if (!stage || readyId === undefined) return;
    const video = document.createElement('video');
    video.src = api.mediaUrl(readyId);
    video.preload = 'auto';
    video.playsInline = true;
    video.setAttribute('aria-label', `Recording ${readyName}`);
    if (!readyHasVideo) video.className = 'audio-only';
    stage.prepend(video);
    const unquiet = quietTimeupdates(video);
    mediaRef(video);
    return () => {
      mediaRef(null);
      unquiet();
      video.remove();
    };
  }, [readyId, readyName, readyHasVideo, mediaRef]);
  useEffect(() => {
    if (!media) return;
    media.muted = !level.heard;
    media.volume = level.volume;
  }, [media, level]);
  return (
    <div className={`stage${blurred ? ' blurred' : ''}${side ? ' side-by-side' : ''}`} ref={stageRef}>
      {angles > 0 && primary?.hasVideo && (
        <button
          type="button"
          className="layout-toggle small"
          aria-pressed={sideBySide}
          onClick={() => setSideBySide((v) => !v)}
          title="V shows the next angle big"
        >
          {sideBySide ? 'One big' : 'Side by side'}
        </button>
      )}
      {!ready && (
        <div className="stage-note">
          {primary
            ? `${primary.fileName} is not where it was. Relink it in the library.`
            : 'This session has no recordings yet.'}
        </div>
      )}
      {scrubUrl && media instanceof HTMLVideoElement && (
        // Over the main video: the whole stage, or (side by side) the main video's own cell.
        <ScrubProxy key={scrubUrl} master={media} url={scrubUrl} />
      )}
      {primary && !primary.hasVideo && <div className="stage-note">Audio only · {primary.fileName}</div>}
      {secondaries.length > 0 && media && (
        <div className="angles">
          {secondaries.map((r) => (
            <SyncedVideo
              key={r.id}
              recording={r}
              primaryOffsetMs={primary?.offsetMs ?? 0}
              master={media}
              // Side by side, each angle is big enough to scrub: its own aid follows its seeks.
              cell={side && r.hasVideo ? videoAngles.indexOf(r) + 2 : undefined}
              scrubUrl={side && r.hasVideo ? (scrubUrlOf?.(r.id) ?? null) : null}
            />
          ))}
        </div>
      )}
      <InlineError message={mediaError} />
    </div>
  );
});
