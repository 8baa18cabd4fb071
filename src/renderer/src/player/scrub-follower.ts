/**
 * Keeps a scrub aid (a short-GOP proxy of the main video) on the main video's seek target while
 * the main video is still seeking, and says when the proxy's picture should show: a drag then
 * paints as fast as the proxy seeks, a frame step backwards is as quick as one forwards, and on
 * release the exact frame shows from the proxy until the main video has it. Plain DOM, no React
 * state per frame.
 *
 * Seeks are coalesced: while the proxy is seeking, only the latest target waits.
 */
export interface Seekable {
  currentTime: number;
  seeking: boolean;
  paused: boolean;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export function followSeeks(
  master: Seekable & { requestVideoFrameCallback?: (cb: () => void) => number },
  proxy: Seekable,
  show: (on: boolean) => void,
): () => void {
  let busy = false;
  let pending: number | null = null;
  let hideTimer: ReturnType<typeof setTimeout> | null = null;
  const seekProxy = (t: number) => {
    if (busy) {
      pending = t;
      return;
    }
    busy = true;
    proxy.currentTime = t;
  };
  const onProxySeeked = () => {
    busy = false;
    if (pending !== null) {
      const t = pending;
      pending = null;
      seekProxy(t);
    }
    // Show each frame the proxy reaches while the main video has not got there yet.
    if (master.seeking) show(true);
  };
  const onMasterSeeking = () => {
    if (hideTimer) clearTimeout(hideTimer);
    hideTimer = null;
    seekProxy(master.currentTime);
  };
  const onMasterSeeked = () => {
    // Hand back once the main video has painted its frame (a short timeout where the browser
    // cannot tell).
    const hide = () => {
      if (!master.seeking) show(false);
    };
    if (master.requestVideoFrameCallback) master.requestVideoFrameCallback(hide);
    hideTimer = setTimeout(hide, 120);
  };
  const onPlay = () => show(false);
  proxy.addEventListener('seeked', onProxySeeked);
  master.addEventListener('seeking', onMasterSeeking);
  master.addEventListener('seeked', onMasterSeeked);
  master.addEventListener('play', onPlay);
  return () => {
    if (hideTimer) clearTimeout(hideTimer);
    proxy.removeEventListener('seeked', onProxySeeked);
    master.removeEventListener('seeking', onMasterSeeking);
    master.removeEventListener('seeked', onMasterSeeked);
    master.removeEventListener('play', onPlay);
  };
}
