/**
 * Bringing other tools' files in: decode (encodings), detect (by content), read (ELAN, BORIS,
 * subtitles, our CSV), plan (mapping.ts) and store, all or nothing, in one transaction: new codes
 * as a new codebook version, each rater's segments as one undoable import, the transcript's
 * utterances. The CLI and the app's import dialog both call this.
 */
import type { Role } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import { decodeText } from './decode';
import { detectFormat, formatLabel, readForeign, type Detected } from './detect';
import type { ForeignDocument } from './foreign';
import { planImport, type ImportOptions, type ImportPlan, type PlannedSegment } from './mapping';
import { write, type Db } from '../db/open';
import type { TranscriptRepo } from './transcript-repository';
import type { AnnotationService } from '../coding/annotations';
import type { LibraryService } from '../library/library';
import { parseSegmentFile } from '../agreement/segment-files';
import { SEPARATOR_WORDS } from '../../shared/csv';
import { accountLines, importAccount, type ImportAccount } from './account';

export interface FileImportOptions extends Omit<ImportOptions, 'fileName' | 'recordings'> {
  encoding?: string;
  skipInvalid?: boolean;
  /** The role of raters created by the import. */
  role?: Role;
  /** Only the transcript (`transcripts import`): coding tiers are left out. */
  transcriptOnly?: boolean;
  /** Submit each imported rater's rating (finished coding from ELAN or BORIS), so others may see it. */
  submit?: boolean;
}

export interface FileImportOutcome {
  /** The family, as earlier versions printed it: csv, elan, boris or transcript. */
  format: 'csv' | 'elan' | 'boris' | 'transcript';
  /** What exactly the file is, e.g. "eaf", "boris-tabular". */
  detected: Detected;
  formatLabel: string;
  encoding: string;
  imported: number;
  perRater: { rater: string; imported: number }[];
  utterances: number;
  newCodes: string[];
  rejected: { line: number; at: string; reason: string }[];
  warnings: string[];
  /** What was (or would be) imported, left out and changed, and why. */
  account: ImportAccount;
  plan: ImportPlan | null;
}

const FAMILY: Record<Detected, FileImportOutcome['format']> = {
  eaf: 'elan',
  'elan-text': 'elan',
  'boris-project': 'boris',
  'boris-aggregated': 'boris',
  'boris-tabular': 'boris',
  webvtt: 'transcript',
  srt: 'transcript',
  'timed-text': 'transcript',
  'alliance-csv': 'csv',
  'rater-csv': 'csv',
  'ratings-csv': 'csv',
  empty: 'csv',
  unknown: 'csv',
};

export class RollBack extends Error {
  constructor(readonly outcome: Omit<FileImportOutcome, 'account'> & { account?: ImportAccount }) {
    super('rolled back');
  }
}

export class InteropService {
  constructor(
    private readonly deps: {
      db: Db;
      annotations: AnnotationService;
      library: LibraryService;
      transcripts: TranscriptRepo;
      /** The audit log's record for a session (an import is recorded with its account). */
      record?: (action: string, sessionId: number, detail: Record<string, unknown>) => void;
    },
  ) {}

  /** Decodes and reads a file without storing anything. */
  read(
    bytes: Uint8Array,
    encoding?: string,
  ): { detected: Detected; text: string; encoding: string; warnings: string[]; doc: ForeignDocument | null } {
    const decoded = decodeText(bytes, encoding);
    const detected = detectFormat(decoded.text);
    if (detected === 'empty') throw new AppError('INVALID_INPUT', 'The file is empty.');
    if (detected === 'unknown') readForeign(decoded.text, detected); // throws the message
    if (detected === 'ratings-csv')
      throw new AppError(
        'INVALID_INPUT',
        'This is a CSV of ratings (unit, rater, value): it is for `agreement ratings`, not an annotations import.',
      );
    const doc = detected === 'alliance-csv' || detected === 'rater-csv' ? null : readForeign(decoded.text, detected);
    return { detected, text: decoded.text, encoding: decoded.encoding, warnings: decoded.warnings, doc };
  }

  /** What importing `bytes` into the session would do (the dialog's preview; `--dry-run`). */
  preview(sessionId: number, bytes: Uint8Array, fileName: string, opts: FileImportOptions = {}): FileImportOutcome {
    return this.prepare(sessionId, bytes, fileName, opts).outcome;
  }

  importFile(sessionId: number, bytes: Uint8Array, fileName: string, opts: FileImportOptions = {}): FileImportOutcome {
    const { outcome, groups, plan, accountOf } = this.prepare(sessionId, bytes, fileName, opts);
    if (plan?.blocking.length) throw new AppError('INVALID_INPUT', plan.blocking.join(' '));
    // (The command line adds its own hints, e.g. --rater, to these messages.)
    const { annotations, transcripts } = this.deps;
    let dropped: string | undefined;
    try {
      const stored = write(this.deps.db, () => {
        if (plan?.newCodes.length) {
          const current = annotations.codebook().definition;
          annotations.saveCodebook({ ...current, codes: [...current.codes, ...plan.newCodes] });
        }
        const perRater: { rater: string; imported: number }[] = [];
        const rejected = [...outcome.rejected];
        for (const g of groups) {
          if (!g.rows.length) continue;
          const rater = annotations.ensureRater(g.rater, opts.role ?? 'observer');
          const result = annotations.importSegments(
            g.rows.map((r, i) => ({
              line: i,
              key: r.key,
              linkKeys: r.linkKeys,
              input: {
                sessionId,
                raterId: rater.id,
                kind: r.kind,
                startMs: r.startMs,
                endMs: r.endMs,
                codes: r.codes,
                note: r.note,
                rating: r.rating ?? null,
                stage: r.stage ?? null,
                origin: r.origin ?? null,
              },
            })),
            opts.skipInvalid ?? false,
          );
          for (const rj of result.rejected) {
            const row = g.rows[rj.line]!;
            rejected.push({ line: row.line ?? lineOf(row.at), at: row.at, reason: rj.reason });
          }
          perRater.push({ rater: g.rater, imported: result.imported });
          if (opts.submit && result.imported > 0) annotations.submit(sessionId, rater.id);
        }
        const done: FileImportOutcome = {
          ...outcome,
          imported: perRater.reduce((n, r) => n + r.imported, 0),
          perRater,
          rejected: rejected.sort((a, b) => a.line - b.line),
        };
        if (rejected.length && !opts.skipInvalid)
          throw new RollBack({ ...done, imported: 0, perRater: [], utterances: 0, newCodes: [] });
        if (plan?.utterances.length) {
          // Utterances before the session's zero (a recording that started earlier) cannot be shown;
          // one that crosses it starts at zero. Both are said.
          // Likewise past its end: an utterance after the last recording's end is left out, one that
          // runs past it ends there.
          const end = annotations.sessionDurationMs(sessionId);
          const kept = plan.utterances.filter((u) => u.endMs > 0 && (end <= 0 || u.startMs < end));
          const before = plan.utterances.filter((u) => u.endMs <= 0).length;
          const after = plan.utterances.length - kept.length - before;
          const crossing = kept.filter((u) => u.startMs < 0).length;
          const overEnd = end > 0 ? kept.filter((u) => u.endMs > end).length : 0;
          const said = [
            before
              ? `${before} utterance${before === 1 ? '' : 's'} before the session's start ${before === 1 ? 'was' : 'were'} left out`
              : '',
            crossing ? `${crossing} that began before it now start${crossing === 1 ? 's' : ''} at 00:00:00` : '',
            after
              ? `${after} utterance${after === 1 ? '' : 's'} after the session's end (${formatTime(end)}) ${after === 1 ? 'was' : 'were'} left out`
              : '',
            overEnd ? `${overEnd} that ran past the end now end${overEnd === 1 ? 's' : ''} at ${formatTime(end)}` : '',
          ].filter(Boolean);
          if (said.length) {
            dropped = `${said.join('; ')}.`;
            done.warnings.push(dropped);
          }
          done.utterances = kept.length;
          transcripts.replaceFromFile(
            sessionId,
            fileName,
            kept.map((u) => ({
              startMs: Math.max(0, u.startMs),
              endMs: end > 0 ? Math.min(end, u.endMs) : u.endMs,
              speaker: u.speaker,
              text: u.text,
              origin: u.origin,
            })),
          );
        }
        if (done.imported === 0 && !plan?.utterances.length)
          throw new RollBack({ ...done, warnings: [...done.warnings, 'Nothing was imported.'] });
        return { ...done, account: accountOf(done, true, dropped) };
      });
      // The account goes to the audit log with the import (after its commit).
      this.deps.record?.('session.import', sessionId, {
        file: fileName,
        format: stored.formatLabel,
        account: accountLines(stored.account),
      });
      return stored;
    } catch (error) {
      if (error instanceof RollBack) return { ...error.outcome, account: accountOf(error.outcome, false) };
      throw error;
    }
  }

  private prepare(sessionId: number, bytes: Uint8Array, fileName: string, opts: FileImportOptions) {
    const { annotations, library } = this.deps;
    const detail = library.sessionDetail(sessionId);
    const read = this.read(bytes, opts.encoding);
    const codebook = annotations.codebook().definition;
    let plan: ImportPlan | null = null;
    let groups: {
      rater: string;
      rows: (Omit<PlannedSegment, 'origin'> & {
        origin?: PlannedSegment['origin'];
        line?: number;
        rating?: number | null;
        stage?: string | null;
      })[];
    }[] = [];
    const rejected: FileImportOutcome['rejected'] = [];
    const warnings = [...read.warnings];
    let csvSeparator: string | null = null;
    if (read.detected === 'rater-csv')
      throw new AppError(
        'INVALID_INPUT',
        'This CSV has a rater column: it is for `agreement segments`. A segments import needs the header type,code,start,end.',
      );
    if (read.doc) {
      plan = planImport(read.doc, codebook, {
        ...opts,
        fileName,
        recordings: detail.recordings.map((r) => ({ name: r.fileName, offsetMs: r.offsetMs })),
      });
      if (opts.transcriptOnly && !plan.utterances.length) {
        // When every cue was refused, say why (the first reason), not only that nothing is left.
        const first = plan.rejected[0];
        const refused = first
          ? `every line with a time was refused (${plan.rejected.length}); the first, ${first.at}: ${first.reason}`
          : 'the file has no utterances.';
        plan.blocking = [
          `No transcript found: ${plan.tiers.length ? `the tiers (${plan.tiers.map((t) => `"${t.name}" taken as ${t.because.startsWith('a ') ? t.because.slice(2).split(' ')[0] : t.role}`).join(', ')}) hold no free text. Name the transcript tiers with --tier NAME.` : refused}`,
        ];
      }
      groups = plan.segments;
      rejected.push(...plan.rejected.map((r) => ({ line: lineOf(r.at), at: r.at, reason: r.reason })));
      warnings.push(...plan.warnings);
    } else {
      if (!opts.rater) throw new AppError('INVALID_INPUT', 'Say whose segments these are: --rater NAME.');
      const parsed = parseSegmentFile(read.text);
      if (parsed.separator !== ',') {
        csvSeparator = `Read as ${SEPARATOR_WORDS[parsed.separator]}.`;
        warnings.push(csvSeparator);
      }
      rejected.push(...parsed.rejected.map((r) => ({ line: r.line, at: `line ${r.line}`, reason: r.reason })));
      groups = [
        {
          rater: opts.rater,
          rows: parsed.rows.map((r) => ({
            at: `line ${r.line}`,
            line: r.line,
            kind: r.input.kind,
            startMs: r.input.startMs,
            endMs: r.input.endMs,
            codes: r.input.codes ?? [],
            note: r.input.note ?? '',
            rating: r.input.rating ?? null,
            stage: r.input.stage ?? null,
            origin: { format: 'segments CSV', file: fileName, at: `line ${r.line}` },
          })),
        },
      ];
    }
    const outcome: Omit<FileImportOutcome, 'account'> = {
      format: FAMILY[read.detected],
      detected: read.detected,
      formatLabel: formatLabel(read.detected),
      encoding: read.encoding,
      imported: groups.reduce((n, g) => n + g.rows.length, 0),
      perRater: groups.map((g) => ({ rater: g.rater, imported: g.rows.length })),
      utterances: plan?.utterances.length ?? 0,
      newCodes: plan?.newCodes.map((c) => c.key) ?? [],
      rejected: rejected.sort((a, b) => a.line - b.line),
      warnings,
      plan,
    };
    const accountOf = (o: Omit<FileImportOutcome, 'account'>, stored: boolean, utterancesDropped?: string) =>
      importAccount({
        fileName,
        formatLabel: o.formatLabel,
        encoding: o.encoding,
        readNotes: [...read.warnings, ...(csvSeparator ? [csvSeparator] : [])],
        plan,
        csv: plan ? undefined : { rater: opts.rater ?? '', rows: stored ? o.imported : (groups[0]?.rows.length ?? 0) },
        rejected: o.rejected,
        skipInvalid: opts.skipInvalid ?? false,
        stored,
        perRater: o.perRater,
        utterances: o.utterances,
        utterancesDropped,
      });
    return { outcome: { ...outcome, account: accountOf(outcome, false) }, groups, plan, accountOf };
  }
}

function lineOf(at: string): number {
  const m = /line (\d+)/.exec(at);
  return m ? Number(m[1]) : 0;
}
