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

const passphrase = z.string().min(1, 'A passphrase is needed.').max(1024);
const file = z.string().min(1, 'Say which file.').max(4096);

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
