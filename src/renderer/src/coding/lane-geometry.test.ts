import { describe, expect, it } from 'vitest';
import { draggedSpan } from './lane-geometry';

const rupture = { kind: 'rupture' as const, startMs: 10_000, endMs: 12_000 };
const at = (over: Partial<{ dxMs: number; atMs: number; free: boolean; durationMs: number }>) => ({
  dxMs: 0,
  atMs: 0,
  free: false,
  durationMs: 60_000,
  ...over,
});

describe('dragging a segment on its lane', () => {
  it('moves by whole 100 ms, or freely with Alt, keeping its length inside the session', () => {
    expect(draggedSpan({ mode: 'move', ...rupture }, rupture, at({ dxMs: 1_234 }))).toEqual({
      startMs: 11_200,
      endMs: 13_200,
    });
    expect(draggedSpan({ mode: 'move', ...rupture }, rupture, at({ dxMs: 1_234, free: true }))).toEqual({
      startMs: 11_234,
      endMs: 13_234,
    });
    expect(draggedSpan({ mode: 'move', ...rupture }, rupture, at({ dxMs: 99_000 }))).toEqual({
      startMs: 58_000,
      endMs: 60_000,
    });
  });

  it('never resizes a rupture below the shared minimum length', () => {
    expect(draggedSpan({ mode: 'end', ...rupture }, rupture, at({ dxMs: -5_000 }))).toEqual({
      startMs: 10_000,
      endMs: 10_100,
    });
    expect(draggedSpan({ mode: 'start', ...rupture }, rupture, at({ dxMs: 5_000 }))).toEqual({
      startMs: 11_900,
      endMs: 12_000,
    });
  });

  it('draws a new one to the pointer, snapped and clamped to the session', () => {
    expect(draggedSpan({ mode: 'create', startMs: 5_000, endMs: 5_000 }, null, at({ atMs: 7_049 }))).toEqual({
      startMs: 5_000,
      endMs: 7_000,
    });
    expect(draggedSpan({ mode: 'create', startMs: 5_000, endMs: 5_000 }, null, at({ atMs: 70_000 }))).toEqual({
      startMs: 5_000,
      endMs: 60_000,
    });
  });
});
