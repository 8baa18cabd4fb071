/**
 * A value that changes often, as a tiny store: only the components that show it listen (through
 * `useSyncExternalStore`), not the tree that holds it. `same` decides what is no change at all.
 */
export function createValueStore<T>(initial: T, same: (a: T, b: T) => boolean = Object.is) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (next: T) => {
      if (same(value, next)) return;
      value = next;
      listeners.forEach((cb) => cb());
    },
    subscribe: (cb: () => void) => {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
  };
}
