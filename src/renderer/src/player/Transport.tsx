import type { ReactNode } from 'react';
import { memo, type KeyboardEvent, type RefObject } from 'react';
import { formatTime } from '../../../shared/time';
import { IconFrameBack, IconFrameForward, IconPause, IconPlay, IconToEnd, IconToStart } from '../ui/Icons';
import { RATES } from './usePlayback';

/** The playback toolbar: play, jumps, frame steps, the time field, the rate and the zoom. */
export const Transport = memo(function Transport(props: {
  playing: boolean;
  rate: number;
  durationMs: number;
  timeRef: RefObject<HTMLInputElement | null>;
  windowLabel: string;
  media: HTMLMediaElement | null;
  onTogglePlay: () => void;
  onSeek: (ms: number) => void;
  onFrame: (dir: -1 | 1) => void;
  onTimeKey: (e: KeyboardEvent<HTMLInputElement>) => void;
  /** Why the typed time was refused: shown under the field, over the page (it never moves the layout). */
  timeError: string | null;
  /** Multiplies the zoom by a factor; 0 shows the whole session. */
  onZoom: (factor: number) => void;
  /** More of the view's controls at the row's end (the layout's compact mode). */
  extra?: ReactNode;
}) {
  const { playing, rate, durationMs, timeRef, windowLabel, media, onTogglePlay, onSeek, onFrame, onTimeKey, onZoom } =
    props;
  const { timeError } = props;
  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button
        type="button"
        className="primary play"
        onClick={onTogglePlay}
        aria-label={playing ? 'Pause' : 'Play'}
        title="Space"
      >
        {playing ? <IconPause /> : <IconPlay />}
      </button>
      <button type="button" onClick={() => onSeek(0)} aria-label="Jump to start" title="Home">
        <IconToStart />
      </button>
      <button type="button" onClick={() => onFrame(-1)} aria-label="Previous frame" title=",">
        <IconFrameBack />
      </button>
      <span className="time-field">
        <input
          ref={timeRef}
          className="time tabular"
          aria-label="Current time"
          aria-invalid={timeError !== null}
          aria-describedby={timeError ? 'time-error' : undefined}
          defaultValue={formatTime(0)}
          onKeyDown={onTimeKey}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        {timeError && (
          <span id="time-error" className="time-error" role="alert">
            {timeError}
          </span>
        )}
      </span>
      <button type="button" onClick={() => onFrame(1)} aria-label="Next frame" title=".">
        <IconFrameForward />
      </button>
      <button type="button" onClick={() => onSeek(durationMs)} aria-label="Jump to end" title="End">
        <IconToEnd />
      </button>
      <span className="tabular muted">/ {formatTime(durationMs, false)}</span>
      <label className="rate">
        <span className="sr-only">Playback rate</span>
        <select
          aria-label="Playback rate"
          value={rate}
          onChange={(e) => media && (media.playbackRate = Number(e.target.value))}
        >
          {RATES.map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
      </label>
      <span className="spacer" />
      <span className="muted tabular" aria-label="Visible window">
        window {windowLabel}
      </span>
      <button type="button" onClick={() => onZoom(1 / 1.5)} aria-label="Zoom out" title="−">
        −
      </button>
      <button type="button" onClick={() => onZoom(1.5)} aria-label="Zoom in" title="+">
        +
      </button>
      <button type="button" onClick={() => onZoom(0)} aria-label="Fit: show the whole session" title="0">
        Fit
      </button>
      {props.extra}
    </div>
  );
});
