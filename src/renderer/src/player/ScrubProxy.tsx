import { useEffect, useRef, type CSSProperties } from 'react';
import { followSeeks } from './scrub-follower';

/**
 * A scrub aid over its video (the main one, or an angle shown side by side): hidden while that
 * video has its frame, shown (the proxy's exact frame) while it is still seeking. Muted, never focusable, hidden from
 * assistive technology (the main video is the one that is described).
 */
export function ScrubProxy({ master, url, style }: { master: HTMLVideoElement; url: string; style?: CSSProperties }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const proxy = ref.current;
    if (!proxy) return;
    const show = (on: boolean) => {
      proxy.style.visibility = on ? 'visible' : 'hidden';
    };
    show(false);
    return followSeeks(master, proxy, show);
  }, [master, url]);
  return (
    <video
      ref={ref}
      className="scrub-proxy"
      src={url}
      muted
      preload="auto"
      aria-hidden="true"
      tabIndex={-1}
      style={style}
    />
  );
}
