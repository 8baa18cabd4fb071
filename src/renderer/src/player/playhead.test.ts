import { describe, expect, it, vi } from 'vitest';
import { createPlayhead } from './playhead';

describe('the playhead store', () => {
  it('tells its listeners of a new time only, and stops telling one that left', () => {
    const playhead = createPlayhead();
    const heard = vi.fn();
    const leave = playhead.subscribe(heard);
    playhead.set(1500);
    playhead.set(1500);
    expect(playhead.get()).toBe(1500);
    expect(heard).toHaveBeenCalledTimes(1);
    leave();
    playhead.set(2000);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(playhead.get()).toBe(2000);
  });
});

describe('when the playhead is needed next', () => {
  it('is the earliest moment any listener named, and no moment once they have left', () => {
    const playhead = createPlayhead();
    const woken = vi.fn();
    playhead.onDuesChange(woken);
    expect(playhead.nextDue(1000)).toBe(Infinity);
    // The overview's mark moves every 2.6 s; the transcript's next utterance begins at 4 s.
    const offMark = playhead.dueAt((ms) => (Math.floor(ms / 2600) + 1) * 2600);
    const offText = playhead.dueAt(() => 4000);
    expect(woken).toHaveBeenCalledTimes(2);
    expect(playhead.nextDue(1000)).toBe(2600);
    expect(playhead.nextDue(3000)).toBe(4000);
    offMark();
    expect(playhead.nextDue(1000)).toBe(4000);
    offText();
    expect(playhead.nextDue(1000)).toBe(Infinity);
  });
});
