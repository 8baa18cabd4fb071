/**
 * The slice for rating packages: sessions sent to observers at other desks and their work
 * returned, in files sealed with a passphrase. Paths are the host's (typed in the browser host,
 * chosen in a dialog in the app).
 */
import { z } from 'zod';
import { id, isoDate } from './schemas';

/** What a package did (the CLI's --json prints the same). */
export interface PackageReportView {
  file: string;
  packageId: string;
  kind: 'rating' | 'return';
  rater: string;
  /** True when this file had been opened or imported before: nothing was changed. */
  alreadyDone: boolean;
  sessions: { caseCode: string; number: number; sessionId: number; outcome: string }[];
  notes: string[];
  bytes?: number;
}

export interface PackageView {
  packageId: string;
  kind: 'sent' | 'opened' | 'returned' | 'imported';
  studyId: string;
  sourcePackageId: string | null;
  raterId: number | null;
  raterName: string | null;
  /** This library's sessions it concerns. */
  sessionIds: number[];
  createdAt: string;
}

/** What a supervision file will carry, before it is sent (the app shows it; `--dry-run` prints it). */
export interface SupervisionPreviewView {
  sessionId: number;
  caseCode: string;
  number: number;
  from: string;
  to: string;
  /** What will be shared, one line each. */
  shares: string[];
  /** What will not be shared, and why. */
  leftOut: string[];
  recordings: { fileName: string; sizeBytes: number; included: boolean }[];
}

/** What sending or receiving a supervision file did (the CLI's --json prints the same). */
export interface SupervisionReportView {
  file: string;
  fileId: string;
  direction: 'sent' | 'received';
  from: string;
  to: string;
  sessionId: number;
  caseCode: string;
  number: number;
  /** True when this file (or a newer one from the same computer) had been received: nothing changed. */
  alreadyDone: boolean;
  /** The first file of a session: the session was made here. */
  createdSession: boolean;
  /** What was shared (sent) or what changed (received), one line each. */
  changes: string[];
  counts: {
    threadsAdded: number;
    repliesAdded: number;
    edited: number;
    stateChanged: number;
    deleted: number;
    lanes: number;
  };
  notes: string[];
  bytes?: number;
}

/** A session's supervision files, newest first. */
export interface SupervisionHistoryView {
  fileId: string;
  direction: 'sent' | 'received';
  peer: string;
  createdAt: string;
  changes: string[];
}

const passphrase = z.string().min(1, 'A passphrase is needed.').max(1024);
const file = z.string().min(1, 'Say which file.').max(4096);

const supervisionChoice = z.object({
  sessionId: id,
  to: z.string().trim().min(1, 'Say who the file is for.').max(80),
  /** A self-review not yet submitted goes as a draft (otherwise it stays here). */
  draft: z.boolean().default(false),
  /** A supervisor's own coding of the session goes too. */
  releaseCoding: z.boolean().default(false),
  includeMedia: z.boolean().default(false),
});

export const packageChannels = {
  /** Packages this library sent, opened, returned and imported. */
  'packages:list': { input: z.object({}), output: {} as PackageView[] },
  /** Sends sessions to a rater (a supervisor): writes a sealed rating package. */
  'packages:export': {
    input: z.object({
      sessionIds: z.array(id).min(1, 'Choose at least one session.').max(2000),
      raterId: id,
      out: file,
      passphrase,
      includeMedia: z.boolean().default(false),
      dueDate: isoDate.nullable().optional(),
    }),
    output: {} as PackageReportView,
  },
  /** Stops a package being written (with its recordings); nothing is left behind. */
  'packages:cancel': { input: z.object({}), output: {} as { cancelled: boolean } },
  /** Opens a rating package (the observer's library): its sessions appear, blind, with the observer's lane. */
  'packages:open': { input: z.object({ file, passphrase }), output: {} as PackageReportView },
  /** Submits the package's ratings and writes the sealed return. */
  'packages:return': {
    input: z.object({ packageId: z.string().max(64), out: file, passphrase }),
    output: {} as PackageReportView,
  },
  /** Imports return packages (a supervisor); the same file twice changes nothing. */
  'packages:import': {
    input: z.object({ files: z.array(file).min(1).max(200), passphrase }),
    output: {} as PackageReportView[],
  },
  /** What a supervision file of a session would carry to `to`, before it is written. */
  'supervision:preview': { input: supervisionChoice, output: {} as SupervisionPreviewView },
  /** Writes a session's supervision file (sealed), as the rater at the machine. */
  'supervision:send': {
    input: supervisionChoice.extend({ out: file, passphrase }),
    output: {} as SupervisionReportView,
  },
  /** Receives a supervision file: the first makes the session here, every later one merges. */
  'supervision:receive': { input: z.object({ file, passphrase }), output: {} as SupervisionReportView },
  /** The supervision files a session was sent and received in, newest first. */
  'supervision:history': { input: z.object({ sessionId: id }), output: {} as SupervisionHistoryView[] },
  /** The app's file dialogs for packages (null when cancelled, or in the browser host: type a path). */
  'dialogs:openPackages': { input: z.object({ multiple: z.boolean().default(false) }), output: {} as string[] | null },
  'dialogs:savePackage': { input: z.object({ suggestedName: z.string().max(200) }), output: {} as string | null },
  /** The library's backups, newest first (a supervisor's). */
  'backups:list': { input: z.object({}), output: {} as BackupView[] },
  /** Makes a checked backup now. */
  'backups:now': { input: z.object({}), output: {} as BackupView },
  /** Restores a backup (by its name in the backups folder); what is there now is backed up first. */
  'backups:restore': {
    input: z.object({
      name: z
        .string()
        .regex(/^library-[0-9TZ-]+-(daily|manual|before-restore)\.db$/, 'Choose one of the listed backups.'),
    }),
    output: {} as { restored: string; safety: BackupView },
  },
  /** The audit log, newest first, and whether its hash chain is intact (a supervisor's). */
  'audit:list': { input: z.object({}), output: {} as AuditView },
} as const;

export interface AuditView {
  entries: {
    id: number;
    at: string;
    actor: string;
    action: string;
    subject: string;
    detail: Record<string, unknown>;
  }[];
  verify: { ok: boolean; entries: number; brokenAt: number | null; message: string };
}

export interface BackupView {
  file: string;
  name: string;
  createdAt: string;
  bytes: number;
  kind: 'daily' | 'manual' | 'before-restore';
}
