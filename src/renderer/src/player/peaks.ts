import type { Peaks } from '../../../shared/domain';

/**
 * Turns stored min/max pairs into wavesurfer's two-channel form: channel 0 holds each pair's
 * maximum (drawn upwards), channel 1 its minimum's magnitude (drawn downwards). Wavesurfer
 * takes the largest magnitude per pixel, so no detail is lost at any zoom. Fresh arrays each
 * time, because wavesurfer may normalize peaks in place.
 */
export function toChannels(p: Peaks): [Float32Array, Float32Array] {
  const bytes = Uint8Array.from(atob(p.data), (c) => c.charCodeAt(0));
  const pairs = new Int8Array(bytes.buffer);
  const top = new Float32Array(p.count);
  const bottom = new Float32Array(p.count);
  for (let i = 0; i < p.count; i++) {
    bottom[i] = Math.abs(pairs[i * 2]!) / 127;
    top[i] = Math.max(0, pairs[i * 2 + 1]!) / 127;
  }
  return [top, bottom];
}
