import type { ReactNode } from 'react';
import type { SegmentKind } from '../../../shared/annotations';
import { HoverThumb } from './HoverThumb';
import { Overview } from './Overview';
import { Ruler } from './Ruler';
import { Transport } from './Transport';
import type { usePlayerShell } from './usePlayerShell';
import { WaveformArea } from './WaveformArea';

/**
 * What the review player and the comparison show alike under the video: the transport, then the
 * timeline area with the overview, the waveform (or why there is none) and the ruler, followed by
 * the view's own lanes (`children`).
 */
export function ShellTimeline(props: {
  shell: ReturnType<typeof usePlayerShell>;
  /** Whether dragging on the waveform marks a segment (the player, with a rater chosen). */
  canDraw: boolean;
  onDrawn: (kind: SegmentKind, startMs: number, endMs: number) => void;
  children: ReactNode;
  /** More controls at the end of the transport's row. */
  extra?: ReactNode;
}) {
  const { shell, canDraw, onDrawn, children } = props;
  const { playing, rate, durationMs, timeRef, windowLabel, media, togglePlay, seekMs, frame } = shell;
  const { onTimeKey, onZoomStep, timeError, areaRef, overviewChannels, view, playhead } = shell;
  const { waveChannels, offsetMs, zoom, onWindow, onZoomWheel, waveNote, primary, scrubUrl } = shell;
  return (
    <>
      <Transport
        playing={playing}
        rate={rate}
        durationMs={durationMs}
        timeRef={timeRef}
        windowLabel={windowLabel}
        media={media}
        onTogglePlay={togglePlay}
        onSeek={seekMs}
        onFrame={frame}
        onTimeKey={onTimeKey}
        onZoom={onZoomStep}
        timeError={timeError}
        extra={props.extra}
      />
      <div className="timeline-area" ref={areaRef}>
        <HoverThumb url={scrubUrl} durationMs={durationMs} offsetMs={offsetMs}>
          <Overview
            channels={overviewChannels}
            durationMs={durationMs}
            view={view}
            playhead={playhead}
            onSeek={seekMs}
          />
        </HoverThumb>
        {waveChannels && media ? (
          <WaveformArea
            media={media}
            offsetMs={offsetMs}
            channels={waveChannels}
            durationMs={durationMs}
            pxPerSec={zoom}
            view={view}
            canDraw={canDraw}
            onDrawn={onDrawn}
            onWindow={onWindow}
            onZoomWheel={onZoomWheel}
          />
        ) : (
          <div className="waveform-note" role="status">
            {waveNote ?? (primary?.hasAudio ? 'Loading waveform…' : '')}
          </div>
        )}
        {waveChannels && media && <Ruler view={view} />}
        {children}
      </div>
    </>
  );
}
