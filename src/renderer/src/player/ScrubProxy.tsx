import { useEffect, useRef } from 'react';
import { followSeeks } from './scrub-follower';

/**
 * The scrub aid over the main video: hidden while the main video has its frame, shown (the
 * proxy's exact frame) while the main video is still seeking. Muted, never focusable, hidden from
 * assistive technology (the main video is the one that is described).
 */
export function ScrubProxy({ master, url }: { master: HTMLVideoElement; url: string }) {
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
  return <video ref={ref} className="scrub-proxy" src={url} muted preload="auto" aria-hidden="true" tabIndex={-1} />;
}
