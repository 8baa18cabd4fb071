/**
 * Which recordings are heard, and how loud: by default the one `heardByDefault` chooses (a stereo
 * recorder over a camera's microphone, else the main recording), the others muted until the user
 * turns them on (to check an alignment by ear). Kept for the page's life, per recording.
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
let defaultHeard: number | null = null;

const changed = () => {
  version++;
  listeners.forEach((l) => l());
};

export const audioMix = {
  get(id: number): AudioLevel {
    return levels.get(id) ?? (id === defaultHeard ? HEARD : MUTED);
  },
  set(id: number, patch: Partial<AudioLevel>): void {
    levels.set(id, { ...audioMix.get(id), ...patch });
    changed();
  },
  /** The recording heard until the user chooses otherwise (see shared/heard.ts). */
  setDefault(id: number | null): void {
    if (id === defaultHeard) return;
    defaultHeard = id;
    changed();
  },
  defaultId: () => defaultHeard,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const HEARD: AudioLevel = { heard: true, volume: 1 };
const MUTED: AudioLevel = { heard: false, volume: 1 };

/** A recording's level, re-rendering when it changes. */
export function useAudioLevel(id: number | null): AudioLevel {
  useSyncExternalStore(audioMix.subscribe, () => version);
  return id === null ? HEARD : audioMix.get(id);
}
