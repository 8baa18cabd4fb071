import { describe, expect, it } from 'vitest';
import { QUICK_KEYS } from '../../../shared/codebook';
import { BINDINGS, commandFor, keyBelongsToFocus } from './key-bindings';

const press = (key: string, mods: Partial<Record<'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey', boolean>> = {}) =>
  commandFor({ key, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe('the key-binding table', () => {
  it('maps keys to commands with their modifiers', () => {
    expect(press(' ')).toBe('playPause');
    expect(press('ArrowLeft')).toBe('back1');
    expect(press('ArrowLeft', { shiftKey: true })).toBe('back5');
    expect(press('ArrowRight', { altKey: true })).toBe('nudgeForward');
    expect(press('ArrowRight', { altKey: true, shiftKey: true })).toBe('nudgeFrameForward');
    expect(press('R')).toBe('markRupture');
    expect(press('z', { ctrlKey: true })).toBe('undo');
    expect(press('Z', { metaKey: true, shiftKey: true })).toBe('redo');
    expect(press('+', { ctrlKey: true })).toBe('zoomIn');
    expect(press('r', { ctrlKey: true })).toBeNull(); // Ctrl+R stays the browser's
    expect(press('x')).toBe('pickHere');
    expect(press('D', { shiftKey: true })).toBe('prevDisagreement');
    expect(press('q')).toBeNull();
  });

  it('has no key that means two things', () => {
    const seen = new Map<string, string>();
    for (const row of BINDINGS)
      for (const m of row.match) {
        const id = `${m.key}|${m.shift}|${m.alt}|${m.mod}`;
        expect(seen.get(id), id).toBeUndefined();
        seen.set(id, m.command);
      }
  });

  it('leaves the codebook’s quick keys free: no player key is one of them, with or without Shift', () => {
    for (const k of QUICK_KEYS) {
      expect(press(k), k).toBeNull();
      expect(press(k.toUpperCase(), { shiftKey: true }), k).toBeNull();
    }
  });

  it('leaves Space and Enter to a focused button, and every key to a field being typed in', () => {
    const el = (tag: string, attrs: Record<string, string> = {}) =>
      ({ tagName: tag, type: attrs.type, getAttribute: (k: string) => attrs[k] ?? null }) as unknown as Element;
    expect(keyBelongsToFocus({ key: ' ' }, el('BUTTON'))).toBe(true);
    expect(keyBelongsToFocus({ key: 'Enter' }, el('DIV', { role: 'button' }))).toBe(true);
    expect(keyBelongsToFocus({ key: 'r' }, el('BUTTON'))).toBe(false);
    expect(keyBelongsToFocus({ key: 'r' }, el('INPUT', { type: 'text' }))).toBe(true);
    expect(keyBelongsToFocus({ key: 'r' }, el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(keyBelongsToFocus({ key: ' ' }, el('INPUT', { type: 'checkbox' }))).toBe(true);
    expect(keyBelongsToFocus({ key: ' ' }, el('DIV'))).toBe(false);
    // A focused tab keeps the arrow keys (to move between tabs); elsewhere they seek.
    expect(keyBelongsToFocus({ key: 'ArrowRight' }, el('BUTTON', { role: 'tab' }))).toBe(true);
    expect(keyBelongsToFocus({ key: 'End' }, el('BUTTON', { role: 'tab' }))).toBe(true);
    expect(keyBelongsToFocus({ key: 'ArrowRight' }, el('BUTTON'))).toBe(false);
  });
});
