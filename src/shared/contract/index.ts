/**
 * The one contract between the renderer and the core. Every host (Electron IPC, the browser
 * host, tests) serves exactly these channels; inputs are validated with zod before any handler
 * runs. Outputs are typed here and produced by the core services.
 */
import type { z } from 'zod';
import type { AppErrorShape } from '../errors';
import type { Recording, ImportJob, ScrubStatus } from '../domain';
import { codingChannels } from './coding';
import { feedbackChannels } from './feedback';
import { interopChannels } from './interop';
import { libraryChannels } from './library';
import { perspectiveChannels } from './perspectives';
import { talkChannels } from './talk';
import { packageChannels } from './packages';
import { lockChannels } from './lock';

/**
 * The one table of channels, composed from one slice per domain (library, coding,
 * perspectives, feedback). Every host serves exactly these; inputs are validated with zod before any
 * handler runs.
 */
export const channels = {
  ...libraryChannels,
  ...codingChannels,
  ...perspectiveChannels,
  ...feedbackChannels,
  ...interopChannels,
  ...talkChannels,
  ...packageChannels,
  ...lockChannels,
} as const;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelParsed<C extends Channel> = z.output<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = (typeof channels)[C]['output'];

export type {
  AuditView,
  BackupView,
  PackageReportView,
  PackageView,
  SupervisionHistoryView,
  SupervisionPreviewView,
  SupervisionReportView,
} from './packages';
export type { LockStatusView } from './lock';
export type { TranscriptionView } from './interop';
import type { TranscriptionView } from './interop';
export type * from './views';
import type { ClipJobView } from './views';

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

/** Events pushed from the core to the renderer. */
export interface EventMap {
  'import:progress': ImportJob;
  /** A scrub aid's build: queued, building (percent), ready, not needed or failed. */
  'scrub:progress': ScrubStatus;
  'import:finished': {
    job: ImportJob;
    recording: Recording | null;
    error: AppErrorShape | null;
  };
  'clip:progress': ClipJobView;
  /** A package with its recordings being written: bytes so far of the total. */
  'packages:progress': { done: number; total: number };
  /** A transcription's progress, and its end (done, paused, failed). */
  'transcript:progress': TranscriptionView;
  /** The library was locked (by the idle timer, the machine going to sleep) or unlocked. */
  'lock:changed': { locked: boolean };
  'clip:finished': {
    job: ClipJobView;
    result: { out: string; fromMs: number; toMs: number; recording: string; bytes: number } | null;
    error: AppErrorShape | null;
  };
}

export type EventName = keyof EventMap;
export const EVENT_NAMES: EventName[] = [
  'import:progress',
  'import:finished',
  'clip:progress',
  'clip:finished',
  'packages:progress',
  'transcript:progress',
  'scrub:progress',
  'lock:changed',
];
