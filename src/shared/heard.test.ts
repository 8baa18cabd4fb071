import { describe, expect, it } from 'vitest';
import type { Recording } from './domain';
import { heardByDefault } from './heard';

const rec = (id: number, o: { video?: boolean; channels?: number | null; state?: Recording['state'] }) =>
  ({
    id,
    state: o.state ?? 'ready',
    hasAudio: o.channels !== null,
    hasVideo: o.video ?? false,
    probe: {
      durationMs: 1000,
      streams: [
        ...(o.video ? [{ kind: 'video' as const, codec: 'h264' }] : []),
        ...(o.channels !== null ? [{ kind: 'audio' as const, codec: 'aac', channels: o.channels ?? 1 }] : []),
      ],
    },
  }) as unknown as Recording;

describe('the recording heard by default', () => {
  it('is a stereo recorder over a camera’s mono microphone', () => {
    const camera = rec(1, { video: true, channels: 1 });
    const second = rec(2, { video: true, channels: 1 });
    const lavalier = rec(3, { channels: 2 });
    expect(heardByDefault([camera, second, lavalier], 1)).toBe(3);
  });

  it('is the main recording when nothing else is better, or when it ties', () => {
    expect(heardByDefault([rec(1, { video: true, channels: 1 }), rec(2, { video: true, channels: 1 })], 2)).toBe(2);
    expect(heardByDefault([rec(1, { video: true, channels: 2 }), rec(2, { video: true, channels: 1 })], 2)).toBe(1);
  });

  it('skips a recording with no sound or no file', () => {
    expect(heardByDefault([rec(1, { video: true, channels: 1 }), rec(2, { channels: 2, state: 'missing' })], 1)).toBe(
      1,
    );
    expect(heardByDefault([rec(1, { video: true, channels: null })], 1)).toBeNull();
  });
});
