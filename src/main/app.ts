/**
 * The core, assembled: database, repositories and services for one data folder. Every host
 * (Electron, browser host, CLI, tests) builds exactly this.
 */
import path from 'node:path';
import { compactAfterErasure, openDatabase, write, type Db } from './db/open';
import { createAnnotationRepos } from './coding/repositories';
import { createPerspectiveRepos, type PerspectiveRepos } from './perspectives/repositories';
import { createRepos, type Repos } from './library/repositories';
import { AnnotationService } from './coding/annotations';
import { CodebookService } from './coding/codebook';
import { ConsensusService } from './coding/consensus';
import { FeedbackService } from './feedback/feedback';
import { ClipJobs } from './reports/clip-jobs';
import { FeedbackRepo } from './feedback/repository';
import { GridService } from './coding/grid';
import { InteropService } from './interop/service';
import { TranscriptRepo } from './interop/transcript-repository';
import { TalkService } from './talk/talk';
import { ScrubService } from './media/scrub';
import { ImportService } from './library/imports';
import { LibraryService } from './library/library';
import { PackageService } from './packages/packages';
import { SupervisionService } from './packages/supervision';
import { TranscriptionService } from './transcribe/transcribe';
import { AuditLog, raterActor, sessionSubject } from './protection/audit';
import { BackupService } from './protection/backups';
import { Policy } from './rpc/policy';
import { RaterService } from './coding/raters';
import { RatingService } from './coding/ratings';
import { ResponseService } from './perspectives/responses';
import { SegmentService } from './coding/segments';
import { registerMediaKey } from './protection/media-crypt';
import { sweepPrivateTemp } from './files/private-temp';

export type { Emit } from './rpc/types';
import type { Emit } from './rpc/types';

export interface Core {
  dataDir: string;
  /** Sends an event to the app's window (progress of long work). */
  emit: Emit;
  db: Db;
  repos: Repos;
  /** Instruments, responses and assignments. */
  perspectiveRepos: PerspectiveRepos;
  library: LibraryService;
  imports: ImportService;
  policy: Policy;
  codebook: CodebookService;
  raters: RaterService;
  segments: SegmentService;
  ratings: RatingService;
  grid: GridService;
  consensus: ConsensusService;
  /** The annotation services as one object, for the command line and scripts (sees everything). */
  annotations: AnnotationService;
  responses: ResponseService;
  /** Comments between supervisor and trainee, with replies (not ratings). */
  feedback: FeedbackService;
  /** Clip exports started from the app (jobs with progress events). */
  clips: ClipJobs;
  /** Sessions' transcripts (utterances, search). */
  transcripts: TranscriptRepo;
  /** Files of other tools in (ELAN, BORIS, subtitles) through the mapping step. */
  interop: InteropService;
  /** Who speaks when (speaker lanes, talk figures) and automatic alignment of recordings. */
  talk: TalkService;
  /** Scrub aids (short-GOP proxies) of recordings with far-apart keyframes, built in the background. */
  scrub: ScrubService;
  /** Rating packages: sessions sent to observers at other desks, and their work returned. */
  packages: PackageService;
  /** Supervision between two computers: a session, its self-review and its feedback, by sealed files. */
  supervision: SupervisionService;
  /** Transcription on this computer with a model the user has on disk. */
  transcription: TranscriptionService;
  /** Who opened, exported, printed, packed and deleted what (append-only, hash-chained). */
  audit: AuditLog;
  /** Checked, rotated backups of the library (daily in the app), and restoring one. */
  backups: BackupService;
  close(): void;
}

export interface CoreOptions {
  dataDir: string;
  nativeBinding?: string;
  emit?: Emit;
  /** Open the library read-only (it is also opened so when its folder or file cannot be written). */
  readOnly?: boolean;
  /**
   * Build scrub aids in the background (the app and the browser host; not the CLI, whose
   * process ends with its command): after each import, and on start for any still missing.
   */
  scrubAid?: boolean;
  /** Back the library up once a day while it is open (the app and the browser host). */
  dailyBackups?: boolean;
  /** Who acts, for the audit log, instead of the current rater (the CLI: its OS user). */
  actor?: string;
  /** The data key of a library protected with a passphrase (protection/library-key.ts). */
  key?: Buffer;
}

export function createCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir, {
    nativeBinding: options.nativeBinding,
    readOnly: options.readOnly,
    key: options.key,
  });
  // A protected library's copied recordings and scrub aids are encrypted with a key from its data key.
  const unregisterMedia = options.key ? registerMediaKey(options.dataDir, options.key) : () => undefined;
  const repos = createRepos(db);
  // An erasure overwrites the freed space and reaches the backups (the same rows leave each copy).
  const library = new LibraryService(repos, (what) => ({
    compacted: compactAfterErasure(db),
    backups: backups.eraseFromCopies((copy) =>
      'caseId' in what
        ? createRepos(copy).cases.delete(what.caseId)
        : createRepos(copy).sessions.delete(what.sessionId),
    ),
  }));
  const emit: Emit = options.emit ?? (() => undefined);
  const imports = new ImportService(db, repos, library, path.join(options.dataDir, 'media'), {
    progress: (job) => emit('import:progress', job),
    finished: (job, recording, error) => {
      emit('import:finished', { job, recording, error });
      if (recording && options.scrubAid) scrub.ensure(recording.id);
    },
  });
  const scrub = new ScrubService(db, repos, path.join(options.dataDir, 'scrub'), {
    progress: (status) => emit('scrub:progress', status),
  });
  const ann = createAnnotationRepos(db);
  const policy = new Policy({
    raters: ann.raters,
    ratings: ann.ratings,
    segments: ann.segments,
    requireSession: (id) => void library.getSession(id),
  });
  const codebook = new CodebookService(ann.codebooks);
  const raters = new RaterService(ann.raters, ann.settings, policy);
  const segments = new SegmentService({ db, repos: ann, library, codebook, policy });
  const ratings = new RatingService(db, ann, library, segments, policy);
  const grid = new GridService(db, ann, segments, codebook, policy);
  const consensus = new ConsensusService(ann.segments, ann.ratings, segments, raters, policy);
  const annotations = new AnnotationService({
    repos: ann,
    policy,
    codebook,
    raters,
    segments,
    ratings,
    grid,
    consensus,
  });
  const perspectiveRepos = createPerspectiveRepos(db);
  const responses = new ResponseService(db, perspectiveRepos, library, raters, policy);
  const feedback = new FeedbackService({
    db,
    repo: new FeedbackRepo(db),
    segments: ann.segments,
    raters: ann.raters,
    policy,
    sessionDurationMs: (id) => segments.sessionDurationMs(id),
    requireCase: (id) => void library.getCase(id),
  });
  const transcripts = new TranscriptRepo(db);
  const interop = new InteropService({
    db,
    annotations,
    library,
    transcripts,
    // The audit log is made below; an import (later) is recorded with its account.
    record: (action, sessionId, detail) => audit.record(action, sessionSubject({ library }, sessionId), detail),
  });
  const talk = new TalkService(db, repos, library);
  if (!db.readonly) {
    write(db, () => {
      codebook.ensure();
      responses.ensureInstruments();
    });
    imports.recoverInterrupted();
    // Private working folders a crashed process left (a report's page, a drawn label).
    sweepPrivateTemp(options.dataDir);
    if (options.scrubAid) scrub.resumeAll();
  }
  const backups = new BackupService(db, options.dataDir, options.nativeBinding, options.key);
  // The command line acts as its OS user; the app as the rater at the machine.
  const audit = new AuditLog(
    db,
    () => {
      if (options.actor) return options.actor;
      const r = raters.current();
      return r ? raterActor(r.name, r.role) : 'no rater chosen';
    },
    { dataDir: options.dataDir, key: options.key ?? null },
  );
  const packageDeps = {
    dataDir: options.dataDir,
    db,
    repos,
    perspectiveRepos,
    library,
    annotations,
    codebook,
    raters,
    responses,
    segments,
    audit,
  };
  const packages = new PackageService(packageDeps);
  const supervision = new SupervisionService({ ...packageDeps, feedback, policy });
  const core: Core = {
    dataDir: options.dataDir,
    emit,
    db,
    repos,
    perspectiveRepos,
    library,
    imports,
    policy,
    codebook,
    raters,
    segments,
    ratings,
    grid,
    consensus,
    annotations,
    responses,
    feedback,
    clips: new ClipJobs({ dataDir: options.dataDir, library, policy, feedback, segments, annotations }, emit),
    packages,
    supervision,
    transcription: new TranscriptionService({
      db,
      repos,
      library,
      talk,
      transcripts,
      emit: (name, payload) => emit(name, payload),
    }),
    backups,
    audit,
    transcripts,
    interop,
    talk,
    scrub,
    close: () => {
      scrub.stop();
      db.close();
      unregisterMedia();
    },
  };
  if (options.dailyBackups && !db.readonly) {
    // On start and every hour after, a backup when the newest is a day old; a failure (a full
    // disk) is reported, never fatal, and tried again an hour later.
    const tick = () =>
      core.backups.daily().then(
        (b) => b && core.audit.record('backup.make', b.name, { automatic: true }),
        (e: unknown) => console.error('[backup]', (e as Error).message),
      );
    void tick();
    const timer = setInterval(() => void tick(), 3_600_000);
    timer.unref();
    const close = core.close;
    core.close = () => {
      clearInterval(timer);
      close();
    };
  }
  return core;
}

/**
 * Where data lives when nobody says: $ALLIANCE_REVIEW_DATA_DIR, else the platform's
 * application-data folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.ALLIANCE_REVIEW_DATA_DIR) return path.resolve(env.ALLIANCE_REVIEW_DATA_DIR);
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Alliance Review');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Alliance Review');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'alliance-review');
}
