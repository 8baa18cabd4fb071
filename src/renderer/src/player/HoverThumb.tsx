import { useEffect, useRef, type ReactNode } from 'react';
import { formatTime } from '../../../shared/time';

/**
 * A thumbnail over the overview: hovering shows the frame at that moment from the scrub aid
 * (the main recording's short-GOP proxy), with its time. Pointer only; the keyboard moves the
 * playhead itself, which shows the frame in the video.
 */
export function HoverThumb(props: {
  url: string | null;
  durationMs: number;
  /** Where the main recording starts on the session's clock (the proxy is in its file time). */
  offsetMs: number;
  children: ReactNode;
}) {
  const { url, durationMs, offsetMs, children } = props;
  const wrap = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const label = useRef<HTMLSpanElement>(null);
  const state = useRef({ busy: false, pending: null as number | null });
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    const onSeeked = () => {
      state.current.busy = false;
      const next = state.current.pending;
      if (next !== null) {
        state.current.pending = null;
        state.current.busy = true;
        v.currentTime = next;
      }
    };
    v.addEventListener('seeked', onSeeked);
    return () => v.removeEventListener('seeked', onSeeked);
  }, [url]);
  if (!url) return <>{children}</>;
  const move = (clientX: number) => {
    const w = wrap.current;
    const b = box.current;
    const v = video.current;
    if (!w || !b || !v || durationMs <= 0) return;
    const rect = w.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
    const sessionMs = f * durationMs;
    const fileS = (sessionMs - offsetMs) / 1000;
    if (fileS < 0 || (Number.isFinite(v.duration) && fileS > v.duration)) {
      b.style.display = 'none';
      return;
    }
    b.style.display = 'block';
    b.style.left = `${Math.min(rect.width - b.offsetWidth, Math.max(0, clientX - rect.left - b.offsetWidth / 2))}px`;
    if (label.current) label.current.textContent = formatTime(sessionMs, false);
    if (state.current.busy) state.current.pending = fileS;
    else {
      state.current.busy = true;
      v.currentTime = fileS;
    }
  };
  return (
    <div
      className="hover-thumb-wrap"
      ref={wrap}
      onPointerMove={(e) => move(e.clientX)}
      onPointerLeave={() => box.current && (box.current.style.display = 'none')}
    >
      {children}
      <div className="hover-thumb" ref={box} aria-hidden="true">
        <video ref={video} src={url} muted preload="auto" tabIndex={-1} />
        <span ref={label} className="tabular" />
      </div>
    </div>
  );
}
