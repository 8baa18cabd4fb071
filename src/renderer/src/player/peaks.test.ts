import { describe, expect, it } from 'vitest';
import { decodeBase64, toChannels } from './peaks';

describe('peaks decoding', () => {
  it('decodes base64 exactly like Node, for every padding length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) % 256));
      expect(Buffer.from(decodeBase64(bytes.toString('base64')))).toEqual(bytes);
    }
  });

  it('splits min/max pairs into upward and downward magnitudes', () => {
    const pairs = Int8Array.from([-127, 127, -10, 64, 0, 0]);
    const data = Buffer.from(pairs.buffer).toString('base64');
    const [top, bottom] = toChannels({ recordingId: 1, level: 'detail', pairsPerSecond: 50, count: 3, data });
    const near = (xs: Float32Array, want: number[]) => want.forEach((w, i) => expect(xs[i]).toBeCloseTo(w, 6));
    near(top, [1, 64 / 127, 0]);
    near(bottom, [1, 10 / 127, 0]);
  });
});
