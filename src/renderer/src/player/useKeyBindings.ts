import { useEffect, useRef } from 'react';
import { commandFor, keyBelongsToFocus, type Command } from './key-bindings';

/**
 * The window's keyboard handler: finds a key's command in the one table (key-bindings.ts) and
 * runs it, unless the key belongs to what has focus (typing, or Space/Enter on a button). Esc
 * always runs `onEscape` and leaves a field being typed in.
 */
export function useKeyBindings(
  run: Record<Command, () => void>,
  onEscape: () => void,
  /** Keys that are no command (the codebook's quick keys): true when it used the key. */
  other?: (e: KeyboardEvent) => boolean,
): void {
  // The newest handlers, without re-registering the listener on every render.
  const latest = useRef({ run, onEscape, other });
  latest.current = { run, onEscape, other };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (e.key === 'Escape') {
        latest.current.onEscape();
        if (target instanceof HTMLElement && keyBelongsToFocus(e, target)) target.blur();
        return;
      }
      if (keyBelongsToFocus(e, target)) return;
      const command = commandFor(e);
      if (!command) {
        if (latest.current.other?.(e)) e.preventDefault();
        return;
      }
      e.preventDefault();
      latest.current.run[command]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
