import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Recording, SessionDetail } from '../../../shared/domain';
import { formatDuration, formatTime, parseTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { IconFrameBack, IconFrameForward, IconPause, IconPlay, IconToEnd, IconToStart } from '../ui/Icons';
import { InlineError } from '../ui/InlineError';
import { Overview } from './Overview';
import { toChannels } from './peaks';
import { RecordingsPanel } from './RecordingsPanel';
import { Shortcuts } from './Shortcuts';
import { Waveform } from './Waveform';

const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
/** The narrowest window the waveform zooms to, in seconds. */
const MIN_WINDOW_S = 10;

type Channels = [Float32Array, Float32Array];

export function PlayerView({ sessionId, onBack }: { sessionId: number; onBack: () => void }) {
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [primaryId, setPrimaryId] = useState<number | null>(null);
  const [media, setMedia] = useState<HTMLVideoElement | null>(null);
  const [waveChannels, setWaveChannels] = useState<Channels | null>(null);
  const [overviewChannels, setOverviewChannels] = useState<Channels | null>(null);
  const [waveNote, setWaveNote] = useState<string | null>(null);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  const [currentMs, setCurrentMs] = useState(0);
  const [win, setWin] = useState({ start: 0, end: 0 });
  const [areaWidth, setAreaWidth] = useState(0);
  const [pxPerSec, setPxPerSec] = useState<number | null>(null);
  const [blurred, setBlurred] = useState(false);
  const [help, setHelp] = useState(false);
  const [timeError, setTimeError] = useState<string | null>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    api.call('sessions:get', { id: sessionId }).then(
      (d) => {
        setDetail(d);
        setPrimaryId((prev) => prev ?? pickPrimary(d.recordings)?.id ?? null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [sessionId]);
  useEffect(load, [load]);

  const primary = detail?.recordings.find((r) => r.id === primaryId) ?? null;
  const secondaries = detail?.recordings.filter((r) => r.id !== primaryId && r.state === 'ready' && r.hasVideo) ?? [];
  const durationMs = primary?.durationMs ?? 0;
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
    Promise.all([
      api.call('recordings:peaks', { id: primary.id, level: 'detail' }),
      api.call('recordings:peaks', { id: primary.id, level: 'overview' }),
    ]).then(
      ([d, o]) => {
        if (!alive) return;
        performance.mark('peaks-received');
        setWaveChannels(toChannels(d));
        performance.mark('peaks-decoded');
        setOverviewChannels(toChannels(o));
      },
      (e: unknown) => alive && setWaveNote(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [primary?.id, primary?.hasAudio]); // eslint-disable-line react-hooks/exhaustive-deps

  // Width of the waveform area decides the zoom range: whole session … 10 seconds.
  useEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setAreaWidth(el.clientWidth));
    ro.observe(el);
    setAreaWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [detail]);
  const fitPx = durationMs > 0 && areaWidth > 0 ? areaWidth / (durationMs / 1000) : 1;
  const maxPx = areaWidth > 0 ? areaWidth / MIN_WINDOW_S : 100;
  const zoom = pxPerSec ?? Math.min(maxPx, Math.max(fitPx, areaWidth / 120)); // start at a 2-minute window
  const setZoom = useCallback((next: number) => setPxPerSec(Math.min(maxPx, Math.max(fitPx, next))), [fitPx, maxPx]);

  // Media element events: playing state, position, restore and remember the position.
  useEffect(() => {
    if (!media || !detail) return;
    setMediaError(null);
    const restore = () => {
      const t = Math.min(detail.session.lastPositionMs, durationMs) / 1000;
      if (t > 0) media.currentTime = t;
    };
    let saved = -1;
    const save = () => {
      const ms = Math.round(media.currentTime * 1000);
      if (ms === saved || !Number.isFinite(ms)) return;
      saved = ms;
      void api.call('sessions:savePosition', { id: sessionId, positionMs: ms }).catch(() => undefined);
    };
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const saveSoon = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 400);
    };
    // Not mid-seek: re-rendering then would only delay the frame the reviewer is waiting for.
    const onTime = () => {
      if (!media.seeking) setCurrentMs(Math.round(media.currentTime * 1000));
    };
    const onPlay = () => setPlaying(true);
    const onPause = () => {
      setPlaying(false);
      save();
    };
    const onRate = () => setRate(media.playbackRate);
    const onError = () => {
      const code = media.error?.code;
      setMediaError(
        code === 4
          ? 'This recording cannot be played here (its format is not supported). The waveform and coding still work.'
          : 'The recording could not be loaded. If the file was moved, go back to the library and relink it.',
      );
    };
    if (media.readyState >= 1) restore();
    else media.addEventListener('loadedmetadata', restore, { once: true });
    media.addEventListener('timeupdate', onTime);
    media.addEventListener('seeked', onTime);
    media.addEventListener('seeked', saveSoon);
    media.addEventListener('play', onPlay);
    media.addEventListener('pause', onPause);
    media.addEventListener('ratechange', onRate);
    media.addEventListener('error', onError);
    const interval = setInterval(() => !media.paused && save(), 5000);
    window.addEventListener('pagehide', save);
    return () => {
      save();
      clearTimeout(saveTimer);
      clearInterval(interval);
      window.removeEventListener('pagehide', save);
      media.removeEventListener('loadedmetadata', restore);
      media.removeEventListener('timeupdate', onTime);
      media.removeEventListener('seeked', onTime);
      media.removeEventListener('seeked', saveSoon);
      media.removeEventListener('play', onPlay);
      media.removeEventListener('pause', onPause);
      media.removeEventListener('ratechange', onRate);
      media.removeEventListener('error', onError);
    };
  }, [media, detail?.session.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // The time field follows the playhead every frame unless someone is typing in it.
  useEffect(() => {
    if (!media) return;
    let raf = 0;
    const tick = () => {
      const input = timeRef.current;
      if (input && document.activeElement !== input) {
        const text = formatTime(media.currentTime * 1000);
        if (input.value !== text) input.value = text;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [media]);

  const seekMs = useCallback(
    (ms: number) => {
      if (!media) return;
      const clamped = Math.max(0, Math.min(durationMs, Math.round(ms)));
      media.currentTime = clamped / 1000;
      setCurrentMs(clamped);
    },
    [media, durationMs],
  );
  const togglePlay = useCallback(() => {
    if (!media) return;
    if (media.paused) void media.play().catch((e: unknown) => setMediaError(errorMessage(e)));
    else media.pause();
  }, [media]);
  const stepRate = useCallback(
    (dir: -1 | 0 | 1) => {
      if (!media) return;
      const i = RATES.indexOf(media.playbackRate as (typeof RATES)[number]);
      const next = dir === 0 ? 1 : RATES[Math.min(RATES.length - 1, Math.max(0, (i < 0 ? 2 : i) + dir))]!;
      media.playbackRate = next;
    },
    [media],
  );
  const frame = useCallback(
    (dir: -1 | 1) => {
      if (!media) return;
      media.pause();
      seekMs(media.currentTime * 1000 + (dir * 1000) / fps);
    },
    [media, fps, seekMs],
  );

  // Keyboard first: every action has a key; `?` lists them.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
      if (e.key === 'Escape') {
        setHelp(false);
        if (typing) target.blur();
        return;
      }
      if (typing || e.altKey) return;
      if ((e.ctrlKey || e.metaKey) && !['=', '+', '-', '0'].includes(e.key)) return;
      const now = (media?.currentTime ?? 0) * 1000;
      let handled = true;
      switch (e.key) {
        case ' ':
          togglePlay();
          break;
        case 'ArrowLeft':
          seekMs(now - (e.shiftKey ? 5000 : 1000));
          break;
        case 'ArrowRight':
          seekMs(now + (e.shiftKey ? 5000 : 1000));
          break;
        case ',':
          frame(-1);
          break;
        case '.':
          frame(1);
          break;
        case 'j':
        case 'J':
          stepRate(-1);
          break;
        case 'k':
        case 'K':
          stepRate(0);
          break;
        case 'l':
        case 'L':
          stepRate(1);
          break;
        case 'Home':
          seekMs(0);
          break;
        case 'End':
          seekMs(durationMs);
          break;
        case '+':
        case '=':
          setZoom(zoom * 1.5);
          break;
        case '-':
          setZoom(zoom / 1.5);
          break;
        case '0':
          setZoom(fitPx);
          break;
        case 't':
        case 'T':
          timeRef.current?.focus();
          timeRef.current?.select();
          break;
        case 'b':
        case 'B':
          setBlurred((b) => !b);
          break;
        case '?':
          setHelp((h) => !h);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [media, togglePlay, seekMs, frame, stepRate, setZoom, zoom, fitPx, durationMs]);

  const onTimeKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    const ms = parseTime(e.currentTarget.value);
    if (ms === null) return setTimeError('Type a time like 00:12:31.480, 12:31 or 751.5.');
    if (ms > durationMs) return setTimeError(`That is past the end of the recording (${formatTime(durationMs)}).`);
    setTimeError(null);
    seekMs(ms);
    e.currentTarget.blur();
  };

  const mediaRef = useCallback((el: HTMLVideoElement | null) => setMedia(el), []);
  const onWindow = useCallback((start: number, end: number) => setWin({ start, end }), []);
  const onZoomWheel = useCallback((f: number) => setZoom(zoom * f), [setZoom, zoom]);
  const windowLabel = useMemo(() => formatDuration((areaWidth / zoom) * 1000), [areaWidth, zoom]);

  if (error) {
    return (
      <div className="player">
        <header className="toolbar">
          <button type="button" onClick={onBack}>
            ← Library
          </button>
        </header>
        <InlineError message={error} />
      </div>
    );
  }
  if (!detail) return <div className="player loading" aria-busy="true" />;

  return (
    <div className="player">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>
          {detail.case.code} · Session {detail.session.number}
          {detail.session.date && <span className="muted"> · {detail.session.date}</span>}
        </h1>
        <span className="spacer" />
        {primary?.hasVideo && !blurred && (
          <span className="privacy" role="note">
            ● Identifiable video on screen
          </span>
        )}
        <button type="button" aria-pressed={blurred} onClick={() => setBlurred((b) => !b)} title="B">
          {blurred ? 'Show video' : 'Blur video'}
        </button>
        <button type="button" aria-label="Keyboard shortcuts" onClick={() => setHelp((h) => !h)} title="?">
          ?
        </button>
      </header>
      <div className="review">
        <div className={`stage${blurred ? ' blurred' : ''}`}>
          {primary && primary.state === 'ready' ? (
            <video
              key={primary.id}
              ref={mediaRef}
              src={api.mediaUrl(primary.id)}
              preload="auto"
              playsInline
              aria-label={`Recording ${primary.fileName}`}
              className={primary.hasVideo ? '' : 'audio-only'}
            />
          ) : (
            <div className="stage-note">
              {primary
                ? `${primary.fileName} is not where it was. Relink it in the library.`
                : 'This session has no recordings yet.'}
            </div>
          )}
          {primary && !primary.hasVideo && <div className="stage-note">Audio only · {primary.fileName}</div>}
          {secondaries.length > 0 && media && (
            <div className="angles">
              {secondaries.map((r) => (
                <SyncedVideo key={r.id} recording={r} primaryOffsetMs={primary?.offsetMs ?? 0} master={media} />
              ))}
            </div>
          )}
          <InlineError message={mediaError} />
        </div>
        <RecordingsPanel
          recordings={detail.recordings}
          primaryId={primaryId}
          onPrimary={setPrimaryId}
          onChanged={load}
        />
      </div>
      <div className="transport" role="toolbar" aria-label="Playback">
        <button
          type="button"
          className="primary play"
          onClick={togglePlay}
          aria-label={playing ? 'Pause' : 'Play'}
          title="Space"
        >
          {playing ? <IconPause /> : <IconPlay />}
        </button>
        <button type="button" onClick={() => seekMs(0)} aria-label="Jump to start" title="Home">
          <IconToStart />
        </button>
        <button type="button" onClick={() => frame(-1)} aria-label="Previous frame" title=",">
          <IconFrameBack />
        </button>
        <input
          ref={timeRef}
          className="time tabular"
          aria-label="Current time"
          defaultValue={formatTime(0)}
          onKeyDown={onTimeKey}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button type="button" onClick={() => frame(1)} aria-label="Next frame" title=".">
          <IconFrameForward />
        </button>
        <button type="button" onClick={() => seekMs(durationMs)} aria-label="Jump to end" title="End">
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
        <button type="button" onClick={() => setZoom(zoom / 1.5)} aria-label="Zoom out" title="−">
          −
        </button>
        <button type="button" onClick={() => setZoom(zoom * 1.5)} aria-label="Zoom in" title="+">
          +
        </button>
        <button type="button" onClick={() => setZoom(fitPx)} aria-label="Show whole session" title="0">
          Fit
        </button>
      </div>
      <InlineError message={timeError} onDismiss={() => setTimeError(null)} />
      <div className="timeline-area" ref={areaRef}>
        <Overview
          channels={overviewChannels}
          durationMs={durationMs}
          window={win}
          currentMs={currentMs}
          onSeek={seekMs}
        />
        {waveChannels && media ? (
          <Waveform
            media={media}
            channels={waveChannels}
            durationMs={durationMs}
            pxPerSec={zoom}
            onWindow={onWindow}
            onZoomWheel={onZoomWheel}
          />
        ) : (
          <div className="waveform-note" role="status">
            {waveNote ?? (primary?.hasAudio ? 'Loading waveform…' : '')}
          </div>
        )}
      </div>
      {help && <Shortcuts onClose={() => setHelp(false)} />}
    </div>
  );
}

/** The main recording: the first ready one with video and audio, else any ready one. */
function pickPrimary(recs: Recording[]): Recording | undefined {
  const ready = recs.filter((r) => r.state === 'ready');
  return ready.find((r) => r.hasVideo && r.hasAudio) ?? ready.find((r) => r.hasVideo) ?? ready[0] ?? recs[0];
}

/** A further camera angle, muted, kept within 150 ms of the main recording using the offsets. */
function SyncedVideo({
  recording,
  primaryOffsetMs,
  master,
}: {
  recording: Recording;
  primaryOffsetMs: number;
  master: HTMLMediaElement;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    const target = () => master.currentTime + (primaryOffsetMs - recording.offsetMs) / 1000;
    const sync = () => {
      const t = target();
      const inRange = t >= 0 && t <= recording.durationMs / 1000;
      if (Math.abs(v.currentTime - t) > 0.15 && inRange) v.currentTime = t;
      v.playbackRate = master.playbackRate;
      if (!master.paused && inRange && v.paused) void v.play().catch(() => undefined);
      if ((master.paused || !inRange) && !v.paused) v.pause();
    };
    const events = ['timeupdate', 'seeked', 'play', 'pause', 'ratechange'];
    events.forEach((e) => master.addEventListener(e, sync));
    sync();
    return () => events.forEach((e) => master.removeEventListener(e, sync));
  }, [master, primaryOffsetMs, recording.offsetMs, recording.durationMs]);
  return (
    <video ref={ref} src={api.mediaUrl(recording.id)} muted preload="auto" aria-label={`Angle ${recording.fileName}`} />
  );
}
