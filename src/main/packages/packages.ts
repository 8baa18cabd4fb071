/**
 * Rating packages: research coding done by observers at their own desks, carried by files.
 *
 * - The supervisor's library sends a **rating package** per rater: the sessions' pseudonymous
 *   metadata (case code, number, date, modality; no therapist, no notes), the codebook version,
 *   the instruments, the assignment and due date, the grid's segment length, and each recording
 *   by fingerprint (with its waveform, so the observer's player is ready once the file is
 *   relinked) or, when asked, the recording itself.
 * - The observer's library opens it: the sessions appear with only the observer's own lane; a
 *   recording not included is relinked to the observer's own copy (a different file is refused
 *   by its fingerprint, as for any moved file).
 * - The observer's library writes a **return package**: their segments, grid, session ratings,
 *   questionnaire responses and kept revisions, the rating submitted.
 * - The supervisor's library imports returns: only for packages it sent, into the study it
 *   belongs to; the same return twice changes nothing; a newer revision of a submitted rating
 *   keeps the old one as a revision; a return coded with another codebook is mapped when every
 *   code it uses is known here, and refused otherwise.
 *
 * Every package is sealed with a passphrase (sealed-file.ts); every import is one transaction,
 * after the whole file has been decrypted and checked, so nothing half-imports.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { encryptFileSync, keyForFile, plainSize } from '../protection/media-crypt';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Segment } from '../../shared/annotations';
import type { CodebookDefinition } from '../../shared/codebook';
import { AppError } from '../../shared/errors';
import { APP_VERSION } from '../../shared/version';
import type { PackageReportView } from '../../shared/contract';
import { createAnnotationRepos, type AnnotationRepos } from '../coding/repositories';
import { write } from '../db/open';
import { PackageRepo } from './repository';
import { isCalendarDate } from '../../shared/time';
import type { Db } from '../db/open';
import type { Repos } from '../library/repositories';
import type { PerspectiveRepos } from '../perspectives/repositories';
import type { LibraryService } from '../library/library';
import type { AnnotationService } from '../coding/annotations';
import type { CodebookService } from '../coding/codebook';
import type { RaterService } from '../coding/raters';
import type { ResponseService } from '../perspectives/responses';
import type { AuditLog } from '../protection/audit';
import { DEFAULT_GRID_MS } from '../coding/grid';
import { normalizeCodes, type SegmentService } from '../coding/segments';
import { formatTime } from '../../shared/time';
import { readSealed, writeSealed, type SealedPart } from './sealed-file';
import { checkOutput } from '../files/output';
import { copyTarget } from '../library/copy-path';
import { privateTemp } from '../files/private-temp';
import {
  checkManifest,
  type PackedSegment,
  type RatingManifest,
  type ReturnManifest,
  type SupervisionManifest,
} from './manifest';

const RATING = 'rating-package';
const RETURN = 'return-package';

export interface PassphraseSource {
  passphrase: string;
}

/** What a package did, for the user and for `--json` (the contract's shape). */
export type PackageReport = PackageReportView;

const b64 = (b: Buffer | Int8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** Writes a package: its manifest (length-prefixed, gzipped JSON), then any recordings, sealed. */
export function seal(
  out: string,
  passphrase: string,
  manifest: RatingManifest | ReturnManifest | SupervisionManifest,
  meta: Record<string, string>,
  media: SealedPart[] = [],
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
) {
  // Gzipped: waveforms are most of a package without recordings, and compress well.
  const json = gzipSync(Buffer.from(JSON.stringify(manifest), 'utf8'));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return writeSealed(
    path.resolve(out),
    passphrase,
    manifest.kind,
    meta,
    [{ bytes: Buffer.concat([len, json]) }, ...media],
    {
      onProgress: opts.onProgress,
      signal: opts.signal,
    },
  );
}

/** Reads a sealed package whole: its manifest, and included recordings into temporary files. */
export async function unpack(
  file: string,
  passphrase: string,
  tempDir: string,
): Promise<{ manifest: RatingManifest | ReturnManifest | SupervisionManifest; raw: unknown; media: string | null }> {
  let head = Buffer.alloc(0);
  let manifestLen = -1;
  let manifest: RatingManifest | ReturnManifest | SupervisionManifest | null = null;
  let raw: unknown = null;
  let mediaFd: number | null = null;
  let mediaPath: string | null = null;
  try {
    await readSealed(file, passphrase, (chunk) => {
      let rest = chunk;
      if (!manifest) {
        head = Buffer.concat([head, rest]);
        if (manifestLen < 0 && head.length >= 4) manifestLen = head.readUInt32BE(0);
        if (manifestLen < 0 || head.length < 4 + manifestLen) return;
        try {
          const bytes = head.subarray(4, 4 + manifestLen);
          const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
          raw = JSON.parse(text.toString('utf8')) as unknown;
        } catch {
          throw new AppError('PACKAGE_INVALID', `${file} holds a damaged manifest.`);
        }
        // Checked whole before anything of it is used: names are names, times are times.
        manifest = checkManifest(raw, path.basename(file));
        rest = head.subarray(4 + manifestLen);
        head = Buffer.alloc(0);
      }
      if (rest.length) {
        if (mediaFd === null) {
          fs.mkdirSync(tempDir, { recursive: true });
          mediaPath = path.join(tempDir, 'media.bin');
          mediaFd = fs.openSync(mediaPath, 'w', 0o600);
        }
        fs.writeSync(mediaFd, rest);
      }
    });
  } catch (e) {
    if (mediaFd !== null) fs.closeSync(mediaFd);
    fs.rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  if (mediaFd !== null) fs.closeSync(mediaFd);
  if (!manifest) throw new AppError('PACKAGE_INVALID', `${file} holds no manifest.`);
  return { manifest, raw, media: mediaPath };
}

/** A segment as a package carries it (returns; supervision files add its identity). */
export const packSegment = (s: Segment): PackedSegment => ({
  id: s.id,
  kind: s.kind,
  startMs: s.startMs,
  endMs: s.endMs,
  ruptureType: s.ruptureType,
  codes: s.codes,
  rating: s.rating,
  stage: s.stage,
  tags: s.tags,
  note: s.note,
  resolved: s.resolved,
  linkedRuptureIds: s.linkedRuptureIds,
});

const sameDefinition = (a: CodebookDefinition, b: CodebookDefinition) => JSON.stringify(a) === JSON.stringify(b);

/** What packages need of the other rooms, named (the assembled core has all of it). */
export interface PackageDeps {
  dataDir: string;
  db: Db;
  repos: Repos;
  perspectiveRepos: PerspectiveRepos;
  library: LibraryService;
  annotations: AnnotationService;
  codebook: CodebookService;
  raters: RaterService;
  responses: ResponseService;
  segments: SegmentService;
  audit: AuditLog;
}

export class PackageService {
  private readonly repo: PackageRepo;
  private readonly ann: AnnotationRepos;
  constructor(private readonly core: PackageDeps) {
    this.repo = new PackageRepo(core.db);
    this.ann = createAnnotationRepos(core.db);
  }

  /** This library's study id: made once, carried by every package it sends. */
  studyId(): string {
    const settings = this.ann.settings;
    const found = settings.get('studyId');
    if (found) return found;
    const id = randomUUID();
    write(this.core.db, () => settings.set('studyId', id));
    return id;
  }

  list() {
    return this.repo.list();
  }

  /** A rating package for one rater over some sessions (the rater is assigned to each). */
  async exportRating(opts: {
    sessionIds: number[];
    rater: string;
    out: string;
    passphrase: string;
    includeMedia?: boolean;
    dueDate?: string | null;
    onProgress?: (done: number, total: number) => void;
    signal?: AbortSignal;
  }): Promise<PackageReport> {
    const { core } = this;
    if (!opts.sessionIds.length) throw new AppError('INVALID_INPUT', 'Choose at least one session for the package.');
    const rater = core.annotations.raters().find((r) => r.name.toLowerCase() === opts.rater.trim().toLowerCase());
    if (!rater) throw new AppError('NOT_FOUND', `There is no rater called ${opts.rater}. Add them first.`);
    if (rater.consensus) throw new AppError('INVALID_INPUT', 'The consensus lane cannot be sent to an observer.');
    if (opts.dueDate && !isCalendarDate(opts.dueDate))
      throw new AppError('INVALID_INPUT', `The due date "${opts.dueDate}" is not a date (YYYY-MM-DD).`);
    const codebook = core.codebook.current();
    const packageId = randomUUID();
    // Only this rater's return can prove it knows this (returnProof): another observer holding
    // the study's passphrase cannot write a return in their name.
    const returnKey = randomBytes(32).toString('base64');
    const parts: SealedPart[] = [];
    let mediaOffset = 0;
    const sessions: RatingManifest['sessions'] = [];
    const cases = new Map(core.repos.cases.list().map((c) => [c.id, c]));
    for (const id of [...new Set(opts.sessionIds)]) {
      const s = core.library.getSession(id);
      const due =
        opts.dueDate !== undefined
          ? opts.dueDate
          : (core.perspectiveRepos.assignments.forSession(id).find((a) => a.raterId === rater.id)?.dueDate ?? null);
      const recordings = packRecordings(core.repos, id, opts.includeMedia ?? false, parts, mediaOffset);
      mediaOffset += recordings.reduce((n, r) => n + (r.media?.size ?? 0), 0);
      sessions.push({
        ref: s.id,
        caseCode: cases.get(s.caseId)!.code,
        number: s.number,
        date: s.date,
        modality: s.modality,
        dueDate: due,
        recordings,
      });
    }
    // Where it goes, checked before anything is written (never over the library's own files).
    checkOutput(opts.out, { what: 'a package', dataDir: core.dataDir });
    const studyId = this.studyId(); // made (and stored) once the package can be written
    const manifest: RatingManifest = {
      kind: RATING,
      packageId,
      studyId,
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      rater: { name: rater.name, role: rater.role },
      codebook: { versionId: codebook.versionId, version: codebook.version, definition: codebook.definition },
      instruments: core.responses.instruments(),
      gridMs: DEFAULT_GRID_MS,
      returnKey,
      sessions,
    };
    const { bytes } = await this.sealTracked(opts.out, () =>
      seal(opts.out, opts.passphrase, manifest, { packageId, studyId }, parts, opts),
    );
    // Sent: the rater is assigned to each session (with the due date), and the package is
    // remembered, so that only its returns are accepted.
    write(core.db, () => {
      for (const s of sessions) core.perspectiveRepos.assignments.set(s.ref, rater.id, s.dueDate);
      this.repo.insert({
        packageId,
        kind: 'sent',
        studyId,
        sourcePackageId: null,
        raterId: rater.id,
        sessions: Object.fromEntries(sessions.map((s) => [String(s.ref), s.ref])),
        report: { codebookVersionId: codebook.versionId, file: path.basename(opts.out), returnKey },
      });
      core.audit.record('package.export', `rating package for ${rater.name}: ${subjects(sessions)}`, {
        packageId,
        includeMedia: opts.includeMedia ?? false,
      });
    });
    return {
      file: path.resolve(opts.out),
      packageId,
      kind: 'rating',
      rater: rater.name,
      alreadyDone: false,
      sessions: sessions.map((s) => ({
        caseCode: s.caseCode,
        number: s.number,
        sessionId: s.ref,
        outcome: `packed with ${s.recordings.length} recording${s.recordings.length === 1 ? '' : 's'}${opts.includeMedia ? ' included' : ' by fingerprint'}`,
      })),
      notes: [],
      bytes,
    };
  }

  /** Opens a rating package in this (the observer's) library. */
  async open(file: string, passphrase: string): Promise<PackageReport> {
    const { core } = this;
    // A package's recordings are decrypted to a private folder (0700, removed when done and at
    // the next start after a crash) and from there copied (encrypted, in a protected library).
    const work = privateTemp(core.dataDir, 'package');
    const temp = work.dir;
    const { manifest, media } = await unpack(file, passphrase, temp);
    try {
      if (manifest.kind !== RATING)
        throw new AppError(
          'PACKAGE_INVALID',
          `${path.basename(file)} is a return package: import it in the supervisor's library (package import).`,
        );
      const m = manifest;
      const base: Omit<PackageReport, 'sessions' | 'alreadyDone' | 'notes'> = {
        file,
        packageId: m.packageId,
        kind: 'rating',
        rater: m.rater.name,
      };
      const known = this.repo.get(m.packageId);
      if (known) {
        if (known.kind === 'sent')
          throw new AppError(
            'INVALID_INPUT',
            `${path.basename(file)} was made by this library; open it on the observer's machine.`,
          );
        return {
          ...base,
          alreadyDone: true,
          notes: ['This package was opened before; nothing was changed.'],
          sessions: m.sessions.map((s) => ({
            caseCode: s.caseCode,
            number: s.number,
            sessionId: known.sessions[String(s.ref)] ?? 0,
            outcome: 'already open',
          })),
        };
      }
      const notes: string[] = [];
      const placed: string[] = [];
      try {
        const report = write(core.db, () => {
          // Whose work this library holds: the observer, made current.
          const rater = core.raters.ensure(m.rater.name, m.rater.role);
          // The package's codebook: a version of this library's codebook when it differs.
          let cb = core.codebook.current();
          if (!sameDefinition(cb.definition, m.codebook.definition)) {
            cb =
              cb.id === 0
                ? this.ann.codebooks.create(m.codebook.definition)
                : this.ann.codebooks.addVersion(cb.id, m.codebook.definition);
            notes.push(`The package's codebook (version ${m.codebook.version}) is now this library's codebook.`);
          }
          for (const inst of m.instruments) core.perspectiveRepos.instruments.upsert(inst);
          const map: Record<string, number> = {};
          const rows: PackageReport['sessions'] = [];
          for (const s of m.sessions) {
            // Through the library's own operations, as the app makes cases and sessions.
            const c =
              core.repos.cases.list().find((x) => x.code.toLowerCase() === s.caseCode.toLowerCase()) ??
              core.library.createCase({ code: s.caseCode, therapist: '', notes: '' });
            if (core.repos.sessions.listByCase(c.id).some((x) => x.number === s.number))
              throw new AppError(
                'DUPLICATE',
                `Case ${s.caseCode} already has a session ${s.number} here; this package cannot be opened into this library.`,
              );
            const session = core.library.createSession({
              caseId: c.id,
              number: s.number,
              date: s.date,
              modality: s.modality,
              notes: '',
            });
            map[String(s.ref)] = session.id;
            for (const r of s.recordings)
              placed.push(
                ...placeRecording(core, session.id, s.caseCode, s.number, r, media, path.join('packages', m.packageId)),
              );
            core.perspectiveRepos.assignments.set(session.id, rater.id, s.dueDate);
            this.ann.grid.setSession(session.id, rater.id, m.gridMs, null, null);
            this.ann.ratings.ensure(session.id, rater.id);
            const missing = s.recordings.filter((r) => !r.media).length;
            rows.push({
              caseCode: s.caseCode,
              number: s.number,
              sessionId: session.id,
              outcome: missing
                ? `ready to rate once ${missing === 1 ? 'its recording is' : `its ${missing} recordings are`} relinked to your own copy`
                : 'ready to rate',
            });
          }
          this.ann.settings.set('currentRaterId', String(rater.id));
          this.repo.insert({
            packageId: m.packageId,
            kind: 'opened',
            studyId: m.studyId,
            sourcePackageId: null,
            raterId: rater.id,
            sessions: map,
            report: { opened: new Date().toISOString(), returnKey: m.returnKey ?? null },
          });
          core.audit.record('package.open', `rating package for ${m.rater.name}: ${subjects(m.sessions)}`, {
            packageId: m.packageId,
          });
          return rows;
        });
        return { ...base, alreadyDone: false, sessions: report, notes };
      } catch (e) {
        for (const f of placed) fs.rmSync(f, { force: true });
        throw e;
      }
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }

  /**
   * The observer's return: submits the rater's ratings of the package's sessions (a draft is
   * submitted; a submitted one stays as it is) and writes their work, sealed.
   */
  /**
   * Writing a package, noted in the library first: a process killed half-way (kill -9, a power
   * cut) leaves a `.partial` file that the next start removes, as it does an import's copy.
   */
  private async sealTracked<T>(out: string, write: () => Promise<T>): Promise<T> {
    const pending = this.core.db.readonly
      ? null
      : this.core.repos.pending.begin({
          caseId: null,
          sessionId: null,
          copiedPath: `${path.resolve(out)}.partial`,
          createdCase: false,
          createdSession: false,
        });
    try {
      return await write();
    } finally {
      if (pending !== null) this.core.repos.pending.finish(pending);
    }
  }

  async writeReturn(opts: { out: string; passphrase: string; packageId?: string }): Promise<PackageReport> {
    const { core } = this;
    checkOutput(opts.out, { what: 'a return package', dataDir: core.dataDir });
    const opened = this.repo.list('opened');
    const pkg = opts.packageId
      ? opened.find((p) => p.packageId === opts.packageId)
      : opened.length === 1
        ? opened[0]
        : undefined;
    if (!pkg) {
      if (opts.packageId) throw new AppError('NOT_FOUND', `No package ${opts.packageId} was opened in this library.`);
      throw new AppError(
        opened.length ? 'INVALID_INPUT' : 'NOT_FOUND',
        opened.length
          ? `${opened.length} packages are open here; say which with --package (${opened.map((p) => p.packageId).join(', ')}).`
          : 'No rating package was opened in this library.',
      );
    }
    const rater = pkg.raterId !== null ? core.annotations.raters().find((r) => r.id === pkg.raterId) : undefined;
    if (!rater) throw new AppError('NOT_FOUND', 'The rater of this package no longer exists here.');
    const packageId = randomUUID();
    const codebook = core.codebook.current();
    const sessions: ReturnManifest['sessions'] = [];
    write(core.db, () => {
      for (const localId of Object.values(pkg.sessions))
        if (this.ann.ratings.get(localId, rater.id)?.status !== 'submitted') this.ann.ratings.submit(localId, rater.id);
    });
    for (const [ref, localId] of Object.entries(pkg.sessions)) {
      const rating = this.ann.ratings.get(localId, rater.id)!;
      const segs = this.ann.segments.listBySession(localId).filter((s) => s.raterId === rater.id);
      sessions.push({
        ref: Number(ref),
        rating: { status: rating.status, revision: rating.revision, submittedAt: rating.submittedAt },
        revisions: this.repo.revisions(localId, rater.id).map((r) => ({
          revision: r.revision,
          reason: r.reason,
          createdAt: r.createdAt,
          snapshot: r.snapshot.map(packSegment),
        })),
        segments: segs.map(packSegment),
        grid: this.repo.grid(localId, rater.id),
        responses: core.perspectiveRepos.responses
          .forSession(localId)
          .filter((r) => r.raterId === rater.id)
          .map((r) => ({ instrument: r.instrument.key, perspective: r.perspective, answers: r.answers })),
      });
    }
    const unsigned: ReturnManifest = {
      kind: RETURN,
      packageId,
      sourcePackageId: pkg.packageId,
      studyId: pkg.studyId,
      createdAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      rater: { name: rater.name, role: rater.role },
      codebook: { definition: codebook.definition },
      sessions,
    };
    const key = typeof pkg.report.returnKey === 'string' ? pkg.report.returnKey : null;
    const manifest: ReturnManifest = key ? { ...unsigned, proof: returnProof(key, unsigned) } : unsigned;
    const meta = { packageId, sourcePackageId: pkg.packageId, studyId: pkg.studyId };
    const { bytes } = await this.sealTracked(opts.out, () => seal(opts.out, opts.passphrase, manifest, meta));
    write(core.db, () =>
      this.repo.insert({
        packageId,
        kind: 'returned',
        studyId: pkg.studyId,
        sourcePackageId: pkg.packageId,
        raterId: rater.id,
        sessions: pkg.sessions,
        report: { file: path.basename(opts.out) },
      }),
    );
    core.audit.record('package.return', `return of ${rater.name}: ${Object.keys(pkg.sessions).length} session(s)`, {
      packageId,
      sourcePackageId: pkg.packageId,
    });
    const byId = new Map(core.repos.cases.list().map((c) => [c.id, c.code]));
    return {
      file: path.resolve(opts.out),
      packageId,
      kind: 'return',
      rater: rater.name,
      alreadyDone: false,
      sessions: sessions.map((s) => {
        const local = core.library.getSession(pkg.sessions[String(s.ref)]!);
        return {
          caseCode: byId.get(local.caseId) ?? '',
          number: local.number,
          sessionId: local.id,
          outcome: `${s.segments.length} segment${s.segments.length === 1 ? '' : 's'}, rating revision ${s.rating.revision} submitted`,
        };
      }),
      notes: [],
      bytes,
    };
  }

  /** Imports return packages into this (the supervisor's) library, each in one transaction. */
  async importReturns(files: string[], passphrase: string): Promise<PackageReport[]> {
    const out: PackageReport[] = [];
    for (const file of files) out.push(await this.importReturn(file, passphrase));
    return out;
  }

  private async importReturn(file: string, passphrase: string): Promise<PackageReport> {
    const work = privateTemp(this.core.dataDir, 'package');
    const temp = work.dir;
    const { raw } = await unpack(file, passphrase, temp);
    fs.rmSync(temp, { recursive: true, force: true });
    return this.importReturnManifest(raw, file);
  }

  /**
   * Imports a return's manifest once decrypted (`file` names it in messages): checked whole (its
   * shape, its sender's proof, every segment by the app's rules), then written in one transaction.
   * Anything refused changes nothing.
   */
  importReturnManifest(raw: unknown, file: string): PackageReport {
    const { core } = this;
    const manifest = checkManifest(raw, path.basename(file));
    if (manifest.kind !== RETURN)
      throw new AppError(
        'PACKAGE_INVALID',
        `${path.basename(file)} is a rating package, not a return: open it in the observer's library (package open).`,
      );
    const m = manifest;
    const base = { file, packageId: m.packageId, kind: 'return' as const, rater: m.rater.name };
    if (m.studyId !== this.studyId())
      throw new AppError('PACKAGE_INVALID', `${path.basename(file)} belongs to another study; nothing was imported.`);
    const sent = this.repo.get(m.sourcePackageId);
    if (!sent || sent.kind !== 'sent')
      throw new AppError(
        'PACKAGE_INVALID',
        `${path.basename(file)} answers a package this library did not send; nothing was imported.`,
      );
    const rater = core.annotations.raters().find((r) => r.id === sent.raterId);
    if (!rater || rater.name.toLowerCase() !== m.rater.name.toLowerCase())
      throw new AppError(
        'PACKAGE_INVALID',
        `${path.basename(file)} was returned by ${m.rater.name}, but the package was sent to ${rater?.name ?? 'a rater no longer here'}.`,
      );
    // Written by the library that opened the package sent to this rater: it knows the package's
    // secret. A return without the proof answers a package sent before returns carried one.
    const key = typeof sent.report.returnKey === 'string' ? sent.report.returnKey : null;
    if (key) {
      const { proof, ...unsigned } = raw as { proof?: unknown };
      if (typeof proof !== 'string' || !sameProof(proof, returnProof(key, unsigned)))
        throw new AppError(
          'PACKAGE_INVALID',
          `${path.basename(file)} was not written by the library that opened ${rater.name}'s package: only their own return is accepted. Nothing was imported.`,
        );
    }
    const cases = new Map(core.repos.cases.list().map((c) => [c.id, c.code]));
    const describe = (sessionId: number) => {
      const s = core.library.getSession(sessionId);
      return { caseCode: cases.get(s.caseId) ?? '', number: s.number, sessionId };
    };
    if (this.repo.get(m.packageId))
      return {
        ...base,
        alreadyDone: true,
        notes: ['This return was imported before; nothing was changed.'],
        sessions: m.sessions.map((s) => ({ ...describe(s.ref), outcome: 'already imported' })),
      };
    // The codebook the work was coded with: the version sent, a version of this library with the
    // same definition, or (mapped) the current version when it knows every code used.
    const notes: string[] = [];
    const chosen = chooseCodebook(
      { ann: this.ann, codebook: core.codebook },
      m.codebook.definition,
      m.sessions.flatMap((s) => s.segments.flatMap((x) => x.codes)),
      Number(sent.report.codebookVersionId),
      path.basename(file),
    );
    const versionId = chosen.versionId;
    if (chosen.note) notes.push(chosen.note);
    // The return's work obeys the rules the app's own edits obey (times within the session, codes
    // of the codebook for their kind, ratings, stages, links between a repair and a rupture of
    // the same lane), checked whole before anything is written.
    const usedCodebook = this.ann.codebooks.byVersionId(versionId)!;
    for (const s of m.sessions) {
      if (!(String(s.ref) in sent.sessions))
        throw new AppError('PACKAGE_INVALID', `${path.basename(file)} carries a session that was not in the package.`);
      const where = describe(s.ref);
      const kinds = new Map(s.segments.map((x) => [x.id, x.kind]));
      if (kinds.size !== s.segments.length)
        throw new AppError(
          'PACKAGE_INVALID',
          `${path.basename(file)} carries two segments with one id. Nothing was imported.`,
        );
      for (const x of s.segments) {
        try {
          core.segments.checkImported(
            { ...importedFields(x), sessionId: s.ref, raterId: rater.id, codebookVersionId: versionId },
            usedCodebook,
          );
          if (x.linkedRuptureIds.length && x.kind !== 'repair')
            throw new AppError('INVALID_INPUT', 'Only a repair is linked to a rupture.');
          if (x.linkedRuptureIds.some((id) => kinds.get(id) !== 'rupture'))
            throw new AppError(
              'INVALID_INPUT',
              'A repair is linked to something that is not a rupture of the same lane.',
            );
        } catch (e) {
          throw new AppError(
            'PACKAGE_INVALID',
            `${path.basename(file)}: case ${where.caseCode} session ${where.number}, the ${x.kind} at ${formatTime(x.startMs)}: ${(e as Error).message} Nothing was imported.`,
          );
        }
      }
    }
    const rows = write(core.db, () => {
      const result: PackageReport['sessions'] = [];
      for (const s of m.sessions) {
        if (!(String(s.ref) in sent.sessions))
          throw new AppError(
            'PACKAGE_INVALID',
            `${path.basename(file)} carries a session that was not in the package.`,
          );
        core.library.getSession(s.ref);
        const here = this.ann.ratings.get(s.ref, rater.id);
        const incoming = s.rating;
        if (here?.status === 'submitted' && incoming.revision < here.revision) {
          result.push({
            ...describe(s.ref),
            outcome: `kept revision ${here.revision}: the return's revision ${incoming.revision} is older`,
          });
          continue;
        }
        if (here?.status === 'submitted' && incoming.revision === here.revision) {
          result.push({ ...describe(s.ref), outcome: `unchanged: revision ${here.revision} is already here` });
          continue;
        }
        // What is here, submitted, stays as a revision; then the return's work takes its place.
        const existing = this.ann.segments.listBySession(s.ref).filter((x) => x.raterId === rater.id);
        if (here?.status === 'submitted')
          this.repo.keepRevision(
            s.ref,
            rater.id,
            here.revision,
            `replaced by ${rater.name}'s return (revision ${incoming.revision})`,
            existing,
          );
        this.repo.clearWork(s.ref, rater.id);
        this.repo.setRating(s.ref, rater.id, incoming);
        // The return's kept revisions that this library does not have yet.
        for (const r of s.revisions)
          if (!here || r.revision > here.revision)
            this.repo.keepRevision(s.ref, rater.id, r.revision, r.reason, r.snapshot);
        const ids = new Map<number, number>();
        for (const x of s.segments) {
          ids.set(
            x.id,
            this.ann.segments.insert({
              ...importedFields(x),
              sessionId: s.ref,
              raterId: rater.id,
              codebookVersionId: versionId,
            }),
          );
        }
        for (const x of s.segments)
          if (x.linkedRuptureIds.length)
            this.ann.segments.setLinks(
              ids.get(x.id)!,
              x.linkedRuptureIds.map((id) => ids.get(id)).filter((id): id is number => id !== undefined),
            );
        if (s.grid.session)
          this.ann.grid.setSession(
            s.ref,
            rater.id,
            s.grid.session.segmentMs,
            s.grid.session.therapistContribution,
            s.grid.session.resolutionExtent,
          );
        for (const c of s.grid.cells) this.ann.grid.setCell(s.ref, rater.id, c.segmentMs, c);
        for (const r of s.responses) {
          const inst = core.perspectiveRepos.instruments.byKey(r.instrument);
          if (!inst) {
            notes.push(`A response to ${r.instrument} was left out: that questionnaire is not in this library.`);
            continue;
          }
          core.perspectiveRepos.responses.save({
            sessionId: s.ref,
            raterId: rater.id,
            instrumentId: inst.id,
            perspective: r.perspective,
            answers: r.answers,
          });
        }
        result.push({
          ...describe(s.ref),
          outcome: `${here?.status === 'submitted' ? `revision ${incoming.revision} added (revision ${here.revision} kept)` : 'added'}: ${s.segments.length} segment${s.segments.length === 1 ? '' : 's'}, ${s.grid.cells.length} grid cell${s.grid.cells.length === 1 ? '' : 's'}, ${s.responses.length} questionnaire${s.responses.length === 1 ? '' : 's'}`,
        });
      }
      this.repo.insert({
        packageId: m.packageId,
        kind: 'imported',
        studyId: m.studyId,
        sourcePackageId: m.sourcePackageId,
        raterId: rater.id,
        sessions: sent.sessions,
        report: { sessions: result, notes },
      });
      core.audit.record('package.import', `return of ${rater.name}: ${subjects(result)}`, {
        packageId: m.packageId,
        sourcePackageId: m.sourcePackageId,
      });
      return result;
    });
    return { ...base, alreadyDone: false, sessions: rows, notes };
  }
}

export type PackedRecording = RatingManifest['sessions'][number]['recordings'][number];

/**
 * A session's recordings as a package carries them: by fingerprint, with their waveforms, and
 * (`includeMedia`) the files themselves appended to `parts` from `offset` on. A file that is not
 * where it was imported from is refused before anything is written.
 */
export function packRecordings(
  repos: Repos,
  sessionId: number,
  includeMedia: boolean,
  parts: SealedPart[],
  offset: number,
): PackedRecording[] {
  const recordings: PackedRecording[] = [];
  let mediaOffset = offset;
  for (const r of repos.recordings.listBySession(sessionId)) {
    let media: PackedRecording['media'] = null;
    if (includeMedia) {
      const st = fs.statSync(r.path, { throwIfNoEntry: false });
      const size = st && r.managed && st.size !== r.sizeBytes ? plainSize(r.path) : st?.size;
      if (!st || size !== r.sizeBytes)
        throw new AppError(
          'FILE_MISSING',
          `${r.fileName} is not where it was imported from (${r.path}); relink it before packing it.`,
        );
      media = { offset: mediaOffset, size: r.sizeBytes };
      parts.push({ file: r.path, size: r.sizeBytes });
      mediaOffset += r.sizeBytes;
    }
    const peaks = repos.recordings.peakLevels(r.id).map((p) => {
      const row = repos.recordings.peaks(r.id, p.level)!;
      return { level: p.level, pairsPerSecond: row.pairs_per_second, data: b64(row.data) };
    });
    recordings.push({
      ref: r.id,
      fileName: r.fileName,
      fingerprint: r.fingerprint,
      sizeBytes: r.sizeBytes,
      durationMs: r.durationMs,
      offsetMs: r.offsetMs,
      hasAudio: r.hasAudio,
      hasVideo: r.hasVideo,
      probe: r.probe,
      peaks,
      media,
    });
  }
  return recordings;
}

/**
 * Adds a packed recording to a session of this library (inside the caller's transaction): its
 * file copied from the package when included (encrypted in a protected library), otherwise a
 * place to relink the user's own copy to (checked by fingerprint). Returns the files it placed,
 * for the caller to remove if the transaction fails.
 */
export function placeRecording(
  core: { dataDir: string; repos: Repos },
  sessionId: number,
  caseCode: string,
  number: number,
  r: PackedRecording,
  media: string | null,
  relinkDir: string,
): string[] {
  let filePath: string;
  let managed = false;
  const placed: string[] = [];
  if (r.media && media) {
    filePath = copyTarget(path.join(core.dataDir, 'media'), caseCode, number, r.fileName);
    fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
    // A protected library keeps the recording encrypted, like its own copies.
    const key = keyForFile(filePath);
    if (key) encryptFileSync(media, filePath, key, r.media);
    else copyRange(media, r.media.offset, r.media.size, filePath);
    placed.push(filePath);
    managed = true;
  } else {
    // Not included: the user relinks their own copy (checked by fingerprint).
    filePath = path.join(core.dataDir, relinkDir, r.fileName);
  }
  core.repos.recordings.insert({
    sessionId,
    path: filePath,
    fileName: r.fileName,
    sizeBytes: r.sizeBytes,
    fingerprint: r.fingerprint,
    managed,
    offsetMs: r.offsetMs,
    durationMs: r.durationMs,
    hasAudio: r.hasAudio,
    hasVideo: r.hasVideo,
    probe: r.probe as never,
    peaks: r.peaks.map((p) => ({
      level: p.level,
      pairsPerSecond: p.pairsPerSecond,
      data: new Int8Array(Buffer.from(p.data, 'base64')),
    })),
  });
  return placed;
}

/**
 * The codebook received work was coded with, in this library: the version it was sent with (or
 * any version) with the same definition, or else the current version when it knows every code
 * used (said in `note`); refused otherwise, naming the codes.
 */
export function chooseCodebook(
  deps: { ann: AnnotationRepos; codebook: CodebookService },
  definition: CodebookDefinition,
  usedCodes: string[],
  sentVersionId: number | null,
  file: string,
): { versionId: number; note: string | null } {
  const sentVersion = sentVersionId === null ? undefined : deps.ann.codebooks.byVersionId(sentVersionId);
  if (sentVersion && sameDefinition(sentVersion.definition, definition))
    return { versionId: sentVersion.versionId, note: null };
  const current = deps.codebook.current();
  if (sentVersionId === null && sameDefinition(current.definition, definition))
    return { versionId: current.versionId, note: null };
  const known = new Set(current.definition.codes.map((c) => c.key.toUpperCase()));
  const unknown = [...new Set(usedCodes)].filter((c) => !known.has(c.toUpperCase()));
  if (unknown.length)
    throw new AppError(
      'INVALID_INPUT',
      `${file} was coded with another codebook, and ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in this library's codebook; add ${unknown.length === 1 ? 'it' : 'them'} (or map them) and import again. Nothing was imported.`,
    );
  return {
    versionId: current.versionId,
    note: `Coded with a different codebook than ${sentVersionId === null ? "this library's" : 'the one sent'}; every code used is in this library's codebook (version ${current.version}), so the work was mapped to it.`,
  };
}

/** A received segment's own fields (codes normalised as the app stores them): a return's, a supervision file's. */
export function importedFields(x: PackedSegment) {
  return {
    kind: x.kind,
    startMs: x.startMs,
    endMs: x.endMs,
    ruptureType: x.ruptureType,
    codes: normalizeCodes(x.codes),
    rating: x.rating,
    stage: x.stage,
    tags: normalizeCodes(x.tags),
    note: x.note,
    resolved: x.resolved,
    origin: null,
  };
}

/** The HMAC a return carries: the manifest (without the proof) under its rating package's secret. */
function returnProof(key: string, unsigned: unknown): string {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(JSON.stringify(unsigned)).digest('hex');
}

function sameProof(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "case C-204 sessions 1, 2" (codes and numbers only: what an audit entry may name). */
function subjects(sessions: { caseCode: string; number: number }[]): string {
  const byCase = new Map<string, number[]>();
  for (const s of sessions) byCase.set(s.caseCode, [...(byCase.get(s.caseCode) ?? []), s.number]);
  return [...byCase]
    .map(([code, ns]) => `case ${code} session${ns.length === 1 ? '' : 's'} ${ns.join(', ')}`)
    .join('; ');
}

function copyRange(src: string, offset: number, size: number, dest: string): void {
  const inFd = fs.openSync(src, 'r');
  const outFd = fs.openSync(dest, 'wx', 0o600);
  try {
    const buf = Buffer.alloc(1 << 20);
    let left = size;
    let at = offset;
    while (left > 0) {
      const n = fs.readSync(inFd, buf, 0, Math.min(buf.length, left), at);
      if (n === 0) throw new AppError('PACKAGE_INVALID', 'A recording in the package is shorter than it says.');
      fs.writeSync(outFd, buf.subarray(0, n));
      left -= n;
      at += n;
    }
  } finally {
    fs.closeSync(inFd);
    fs.closeSync(outFd);
  }
}
