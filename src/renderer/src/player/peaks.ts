import type { Peaks } from '../../../shared/domain';

const LOOKUP = (() => {
  const table = new Uint8Array(128);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/** Decodes base64 straight into bytes (several times faster than atob + Uint8Array.from). */
export function decodeBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--; // '='
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= end; i += 4) {
    const n =
      (LOOKUP[text.charCodeAt(i)]! << 18) |
      (LOOKUP[text.charCodeAt(i + 1)]! << 12) |
      (LOOKUP[text.charCodeAt(i + 2)]! << 6) |
      LOOKUP[text.charCodeAt(i + 3)]!;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  const rest = end - i;
  if (rest >= 2) {
    const n =
      (LOOKUP[text.charCodeAt(i)]! << 18) |
      (LOOKUP[text.charCodeAt(i + 1)]! << 12) |
      (rest === 3 ? LOOKUP[text.charCodeAt(i + 2)]! << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 255;
  }
  return out;
}

/**
 * Turns stored min/max pairs into wavesurfer's two-channel form: channel 0 holds each pair's
 * maximum (drawn upwards), channel 1 its minimum's magnitude (drawn downwards). Wavesurfer
 * takes the largest magnitude per pixel, so no detail is lost at any zoom. Fresh arrays each
 * time, because wavesurfer may normalize peaks in place.
 */
export function toChannels(p: Peaks): [Float32Array, Float32Array] {
  const bytes = decodeBase64(p.data);
  const pairs = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const top = new Float32Array(p.count);
  const bottom = new Float32Array(p.count);
  for (let i = 0; i < p.count; i++) {
    bottom[i] = Math.abs(pairs[i * 2]!) / 127;
    top[i] = Math.max(0, pairs[i * 2 + 1]!) / 127;
  }
  return [top, bottom];
}
