/**
 * Which recordings are heard, and how loud: the main recording is heard and the further ones are
 * muted until the user turns them on (to check an alignment by ear, or to hear a separate
 * recorder). Kept for the page's life, per recording.
 */
import { useSyncExternalStore } from 'react';

export interface AudioLevel {
  heard: boolean;
  /** 0–1. */
  volume: number;
}

const levels = new Map<number, AudioLevel>();
const listeners = new Set<() => void>();
let version = 0;

export const audioMix = {
  get(id: number, leads: boolean): AudioLevel {
    return levels.get(id) ?? (leads ? HEARD : MUTED);
  },
  set(id: number, leads: boolean, patch: Partial<AudioLevel>): void {
    levels.set(id, { ...audioMix.get(id, leads), ...patch });
    version++;
    listeners.forEach((l) => l());
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const HEARD: AudioLevel = { heard: true, volume: 1 };
const MUTED: AudioLevel = { heard: false, volume: 1 };

/** A recording's level, re-rendering when it changes. */
export function useAudioLevel(id: number | null, leads: boolean): AudioLevel {
  useSyncExternalStore(audioMix.subscribe, () => version);
  return id === null ? HEARD : audioMix.get(id, leads);
}
