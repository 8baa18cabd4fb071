import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { createGlide, createReveal } from './glide';
import { followMedia, nextSecondMs, PLAYING_TICK_MS, RESTARTED_LOOK_MS, untilSessionMs } from './playback-loop';

interface Props {
  media: HTMLMediaElement;
  /** Where the media element's file starts on the session's clock (the channels are already placed). */
  offsetMs: number;
  /** Detail peaks as [top, bottom] magnitudes. */
  channels: [Float32Array, Float32Array];
  durationMs: number;
  /** Zoom in pixels per second. */
  pxPerSec: number;
  /** The stretch in view; `preview` while a zoom gesture shows a scaled picture (see below). */
  onWindow: (start: number, end: number, preview?: boolean) => void;
  onZoomWheel: (factor: number) => void;
}

function colors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    waveColor: v('--wave', '#8a8f98'),
    progressColor: v('--wave-played', '#4a6d8c'),
    cursorColor: v('--playhead', '#d55e00'),
  };
}

/** How long a zoom gesture may pause before the waveform is redrawn sharp at the new zoom. */
const SETTLE_MS = 160;

/**
 * The zoomable waveform, drawn by wavesurfer.js from stored peaks: clicking or dragging here
 * seeks the video, and playing moves the waveform. It never decodes the file.
 *
 * Zooming: wavesurfer redraws every canvas on each zoom step, which on an hour-long session
 * costs several frames. So a zoom step first scales what is drawn around the playhead (a
 * compositor transform, as maps do while pinching) and reports the window that shows; when the
 * gesture pauses, a click lands, or the view scrolls, wavesurfer redraws once at the final zoom,
 * keeping the playhead where it was on screen, so the sharp picture replaces the scaled one in
 * place.
 */
/** While playing, the view turns its page when the playhead passes this share of its width… */
const PAGE_TURN_AT = 0.85;
/** …and the playhead then stands this share from the left edge. */
const PAGE_LEAD = 0.15;

export const Waveform = memo(function Waveform({
  media,
  offsetMs,
  channels,
  durationMs,
  pxPerSec,
  onWindow,
  onZoomWheel,
}: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const [drawn, setDrawn] = useState(false);
  const latest = useRef({ onWindow, onZoomWheel, pxPerSec });
  latest.current = { onWindow, onZoomWheel, pxPerSec };
  const zoomTo = useRef<(px: number) => void>(() => undefined);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    performance.mark('waveform-create');
    // Wavesurfer gets no media element: it only draws. We move its playhead from the video on
    // each animation frame and seek the video on its clicks, so that none of its drawing runs
    // inside a seek (with the element attached, a far seek took ~65 ms longer).
    const ws = WaveSurfer.create({
      container,
      peaks: [channels[0].slice(), channels[1].slice()],
      duration: durationMs / 1000,
      height: 112,
      // One scale for the whole recording: wavesurfer would otherwise normalise each canvas to
      // its own loudest point, making a quiet stretch look as loud as a shouted one.
      normalize: true,
      maxPeak: peakOf(channels),
      // One-pixel bars with no gap: the same envelope as the line drawing, without the notch
      // the line drawing leaves at every canvas edge.
      barWidth: 1,
      barGap: 0,
      ...colors(),
      // Our own playhead (below) moves by transform; wavesurfer's would move by layout.
      cursorWidth: 0,
      minPxPerSec: latest.current.pxPerSec,
      // We scroll ourselves from measured geometry: wavesurfer's scrolling read the layout it had
      // just changed, on every frame of playback.
      autoScroll: false,
      autoCenter: false,
      dragToSeek: true,
    });
    wsRef.current = ws;
    // Its inner scroller (in its shadow root) is the waveform's one tab stop, named: a scrolling
    // region must be reachable by keyboard, and the player's seek and zoom keys work from it.
    const inner = ws.getWrapper().parentElement;
    if (inner) {
      inner.tabIndex = 0;
      inner.setAttribute('role', 'region');
      inner.setAttribute('aria-label', 'Waveform (← → seek, + − zoom)');
      inner.style.outline = 'none'; // the ring is drawn around the block (.waveform:focus-within)
    }
    // The scroll geometry as last measured (px): kept so that zoom steps never read layout,
    // which mid-frame would force the browser to lay out the whole page again.
    const geom = { total: 1, visible: 1, scroll: 0 };
    const report = () =>
      latest.current.onWindow(
        (geom.scroll / geom.total) * durationMs,
        (Math.min(geom.total, geom.scroll + geom.visible) / geom.total) * durationMs,
      );
    /** Measures (only where layout is clean) and tells the lanes and overview what is in view. */
    const reportWindow = () => {
      const scroller = ws.getWrapper().parentElement;
      geom.total = ws.getWrapper().scrollWidth || 1;
      geom.visible = scroller?.clientWidth ?? geom.total;
      geom.scroll = ws.getScroll();
      report();
      regeometry();
    };
    // A zoom while playing: the gliding playhead is set again for the new width at once.
    let regeometry = () => undefined as void;
    let reportRaf = 0;
    const reportSoon = () => {
      if (!reportRaf) reportRaf = requestAnimationFrame(() => ((reportRaf = 0), reportWindow()));
    };
    // Zoom preview: `rendered` is the zoom wavesurfer has drawn at.
    let rendered = latest.current.pxPerSec;
    let previewing = false;
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    const scaled = () =>
      [...ws.getWrapper().children].filter((el): el is HTMLElement =>
        /\b(canvases|progress)\b/.test((el as HTMLElement).className),
      );
    const settle = () => {
      clearTimeout(settleTimer);
      if (!previewing) return;
      previewing = false;
      for (const el of scaled()) el.style.transform = el.style.transformOrigin = '';
      // Back where it was drawn: nothing to redraw, but the view may have scrolled meanwhile.
      if (rendered === latest.current.pxPerSec) return reportWindow();
      rendered = latest.current.pxPerSec;
      ws.zoom(rendered); // emits 'zoom': measured right after wavesurfer's own layout, so cheap
    };
    zoomTo.current = (px: number) => {
      if (!ws.getDecodedData() || px === rendered) return settle();
      const k = px / rendered;
      // Far from what is drawn (wavesurfer draws about three screens' worth): redraw now.
      if (k < 0.4 || k > 8) {
        previewing = true;
        return settle();
      }
      const { total, visible, scroll } = geom;
      const anchor = Math.min(1, (media.currentTime + offsetMs / 1000) / (durationMs / 1000)) * total; // the playhead
      // The played part stands while scaled (its glide would override the scale); it glides
      // again once redrawn (see regeometry).
      if (played?.gliding) colourAt(anchor / total);
      for (const el of scaled()) {
        el.style.transformOrigin = `${anchor}px 0`;
        el.style.transform = `scaleX(${k})`;
      }
      previewing = true;
      const at = (x: number) => Math.min(durationMs, Math.max(0, ((anchor + (x - anchor) / k) / total) * durationMs));
      latest.current.onWindow(at(scroll), at(scroll + visible), true);
      clearTimeout(settleTimer);
      settleTimer = setTimeout(settle, SETTLE_MS);
    };
    // A press on the waveform during a preview lands on the sharp picture.
    const onPress = () => settle();
    container.addEventListener('pointerdown', onPress, true);
    const offs = [
      ws.on('ready', () => performance.mark('waveform-ready')),
      ws.on('interaction', (t: number) => {
        // t is on the session's clock; the element plays its file's own time.
        media.currentTime = Math.max(0, Math.min(media.duration || Infinity, t - offsetMs / 1000));
      }),
      ws.on('redrawcomplete', () => {
        performance.mark('waveform-drawn');
        setDrawn(true);
      }),
      // Wavesurfer reports the visible stretch in seconds and its scroll edges in px.
      ws.on('scroll', (start: number, end: number, left: number, right: number) => {
        // While scaled, wavesurfer's numbers include the stretched picture: redraw, then measure.
        if (previewing) return settle();
        geom.scroll = left;
        geom.visible = right - left;
        if (end > start) {
          const total = ((right - left) / (end - start)) * (durationMs / 1000);
          const changed = Math.abs(total - geom.total) >= 1;
          geom.total = total;
          if (changed) regeometry();
        }
        report();
      }),
      ws.on('zoom', () => reportWindow()),
      ws.on('redrawcomplete', () => reportSoon()),
      ws.on('resize', () => reportSoon()),
    ];
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      ws.setOptions(colors());
      cursor.style.background = colors().cursorColor;
    };
    scheme.addEventListener('change', onScheme);
    // Ctrl/Cmd+wheel zooms; several wheel events in one frame make one step.
    let wheelFactor = 1;
    let wheelRaf = 0;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      wheelFactor *= e.deltaY < 0 ? 1.25 : 0.8;
      if (!wheelRaf)
        wheelRaf = requestAnimationFrame(() => {
          wheelRaf = 0;
          latest.current.onZoomWheel(wheelFactor);
          wheelFactor = 1;
        });
    };
    container.addEventListener('wheel', onWheel, { passive: false });
    // The playhead: a line in the scrolled layer, moved by a transform (no layout, no paint).
    // (Styled inline: wavesurfer draws inside a shadow root, out of reach of the page's styles.)
    const cursor = document.createElement('div');
    cursor.className = 'wave-playhead';
    Object.assign(cursor.style, {
      position: 'absolute',
      top: '0',
      left: '0',
      width: '2px',
      height: '100%',
      background: colors().cursorColor,
      zIndex: '4',
      pointerEvents: 'none',
      willChange: 'transform',
    });
    ws.getWrapper().appendChild(cursor);
    // Follow the video: a page turn while playing, a jump only when the playhead leaves view.
    // The played part's colour (a repaint of the waveform) is brought up to date as the second
    // turns, and at once on a jump.
    let shown = -1;
    let shownAt = 0;
    let shownPlaying = false;
    // While playing, the playhead glides by an animation the compositor runs (Web Animations:
    // no main-thread frame per step); it is set again when it drifts from the video by more
    // than a pixel, and replaced by a plain position when paused, on a jump, a rate or a zoom change.
    const mark = createGlide(cursor);
    // Whether the last look (re)started a glide: the next one comes soon (RESTARTED_LOOK_MS).
    let restarted = false;
    const glide = (x: number, playing: boolean, rate: number, now: number) => {
      if (!playing) return mark.place(x - 1);
      const pxPerMs = (geom.total / durationMs) * rate || 0;
      // Within a video frame or two (the video's clock moves in frame steps): left gliding.
      if (mark.glide(x - 1, now, pxPerMs, geom.total - 1, Math.max(1.5, pxPerMs * 60))) restarted = true;
    };
    // The played part's colour. While playing it grows by itself (see createReveal: wavesurfer's
    // progress layer, slid by the compositor), set again with the playhead; without that layer
    // (another wavesurfer) it is repainted as the second turns. Paused, on a jump or a zoom it
    // stands where the playhead does.
    const progressEl = ws.getWrapper().querySelector<HTMLElement>(':scope > .progress');
    const played = progressEl ? createReveal(progressEl, () => [...progressEl.children] as HTMLElement[]) : null;
    let coloured = -1;
    let colouredSecond = -1;
    const colourAt = (frac: number) => {
      played?.stop();
      coloured = frac;
      ws.getRenderer().renderProgress(frac, false);
    };
    const glidePlayed = (frac: number, x: number, now: number, rate: number) => {
      if (!played || !progressEl) return;
      const pxPerMs = (geom.total / durationMs) * rate || 0;
      // The part not yet played is drawn from here on (under the growing played part).
      if (!played.gliding) colourAt(frac);
      progressEl.style.width = '100%';
      if (played.glide(x, now, pxPerMs, geom.total, Math.max(1.5, pxPerMs * 60))) restarted = true;
    };
    // Every frame while seeking or stepping; while playing (the playhead and the played part
    // glide by themselves) when the view must turn a page, or the played part's second turns
    // when it cannot glide; at once when the video pauses, seeks or changes speed; never while
    // it stands paused (see followMedia).
    const step = (now: number) => {
      if (media.seeking) return;
      // Not drawn yet: try again next frame.
      if (!ws.getDecodedData()) return true;
      restarted = false;
      follow(now);
      const ms = (media.currentTime + offsetMs / 1000) * 1000;
      let due = played ? Infinity : nextSecondMs(ms);
      if (geom.total > geom.visible) {
        const turnAt = ((geom.scroll + geom.visible * PAGE_TURN_AT) / geom.total) * durationMs;
        if (turnAt > ms) due = Math.min(due, turnAt);
      }
      return Math.min(untilSessionMs(ms, due, media.playbackRate), restarted ? RESTARTED_LOOK_MS : Infinity);
    };
    const follow = (now: number) => {
      const t = media.currentTime + offsetMs / 1000;
      // A video waiting for data is not moving: the playhead stands rather than glide ahead.
      const playing = !media.paused && media.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA;
      if (t === shown && playing === shownPlaying) return;
      // A jump: not where playing on from the last look would have brought it (by half a second).
      const jump =
        !playing || !shownPlaying || Math.abs(t - shown - ((now - shownAt) / 1000) * media.playbackRate) > 0.5;
      // While a zoom is shown scaled, playback's steps wait for the redraw, and a jump redraws at once.
      if (previewing) {
        if (!jump) return;
        settle();
      }
      shown = t;
      shownAt = now;
      shownPlaying = playing;
      const frac = Math.min(1, Math.max(0, t / (durationMs / 1000)));
      const x = frac * geom.total;
      glide(x, playing && !jump, media.playbackRate, now);
      const scroller = ws.getWrapper().parentElement;
      if (scroller && geom.total > geom.visible) {
        const max = geom.total - geom.visible;
        if (playing && !jump) {
          // While playing the view turns a page at a time (from the cached geometry: nothing is
          // read from the layout): the playhead glides across a still waveform and still lanes,
          // and near the right edge the view moves on so that it stands near the left again.
          // Scrolling every frame made the browser re-composite the waveform and every lane 60
          // times a second for an hour of playback.
          if (x > geom.scroll + geom.visible * PAGE_TURN_AT || x < geom.scroll) {
            scroller.scrollLeft = Math.min(max, Math.max(0, x - geom.visible * PAGE_LEAD));
            // Known now, without reading the layout (the scroll event follows).
            geom.scroll = Math.min(max, Math.max(0, x - geom.visible * PAGE_LEAD));
          }
        } else if (x < geom.scroll || x > geom.scroll + geom.visible) {
          scroller.scrollLeft = Math.min(max, Math.max(0, x - geom.visible / 2));
        }
      }
      const second = Math.floor(t);
      if (played && playing && !jump) glidePlayed(frac, x, now, media.playbackRate);
      else if (jump || (Math.abs(frac - coloured) * geom.total >= 1 && second !== colouredSecond)) {
        colouredSecond = second;
        colourAt(frac);
      }
      if (container.getAttribute('aria-valuenow') !== String(second))
        container.setAttribute('aria-valuenow', String(second));
    };
    regeometry = () => {
      if (!mark.gliding) return;
      const t = media.currentTime + offsetMs / 1000;
      const frac = Math.min(1, Math.max(0, t / (durationMs / 1000)));
      const now = performance.now();
      mark.stop();
      glide(frac * geom.total, true, media.playbackRate, now);
      played?.stop();
      glidePlayed(frac, frac * geom.total, now, media.playbackRate);
    };
    const following = followMedia(media, step, { playingMs: PLAYING_TICK_MS, slowWhilePlaying: () => mark.gliding });
    return () => {
      mark.stop();
      played?.stop();
      following.stop();
      cancelAnimationFrame(wheelRaf);
      cancelAnimationFrame(reportRaf);
      clearTimeout(settleTimer);
      zoomTo.current = () => undefined;
      container.removeEventListener('pointerdown', onPress, true);
      offs.forEach((off) => off());
      scheme.removeEventListener('change', onScheme);
      container.removeEventListener('wheel', onWheel);
      ws.destroy();
      wsRef.current = null;
      setDrawn(false);
    };
  }, [media, channels, durationMs, offsetMs]);

  // Before paint, so that the scaled picture and the lanes change in the same frame.
  useLayoutEffect(() => zoomTo.current(pxPerSec), [pxPerSec]);

  return (
    <div className="waveform-block">
      <div
        ref={containerRef}
        className="waveform"
        role="slider"
        aria-label="Waveform: the playhead, in seconds"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        data-drawn={drawn ? 'true' : 'false'}
      />
    </div>
  );
});

function peakOf([top, bottom]: [Float32Array, Float32Array]): number {
  let max = 0;
  for (let i = 0; i < top.length; i++) max = Math.max(max, Math.abs(top[i]!), Math.abs(bottom[i]!));
  return max || 1;
}
