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
