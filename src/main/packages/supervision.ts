/**
 * Supervision between two computers: a trainee's session goes to their supervisor, feedback comes
 * back, replies go on, through sealed files (no server).
 *
 * - **Send** (either side): the session's pseudonymous metadata, its recordings by fingerprint (or
 *   the files, when asked), and what the sender may share: their own lane (a trainee's self-review
 *   when submitted, or as a draft when they choose; a supervisor's coding only when released),
 *   their grid and questionnaires, and the feedback written in this library (the label list with
 *   a supervisor's). Feedback held from the recipient (the hold policy) does not travel at all.
 * - **Receive**: the first file of a session makes it here (or matches the session already here
 *   with the same recordings); every later one merges. Items are known by their identity, so
 *   nothing is duplicated; a file's number says which is newer, so the same file twice, or an
 *   older one, changes nothing.
 * - **Each author's items are theirs**: a file carries, and a merge takes, only the items of
 *   people who write in the sending library. Another author's words are never changed by a merge;
 *   a thread's state set on both sides keeps the later setting.
 * - **Who sent it**: each library signs its files (Ed25519); the first file from a library pins
 *   its key, and a later file claiming to be from it but signed otherwise is refused, as is a file
 *   claiming an author who writes elsewhere (or here). A file of another study is refused.
 *
 * Every receive is checked whole and written in one transaction, after the file was decrypted
 * and its signature checked: a wrong passphrase, a truncated or changed file changes nothing.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Rater } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import { APP_VERSION } from '../../shared/version';
import type { SupervisionHistoryView, SupervisionPreviewView, SupervisionReportView } from '../../shared/contract';
import { createAnnotationRepos, type AnnotationRepos } from '../coding/repositories';
import { normalizeCodes } from '../coding/segments';
import { write } from '../db/open';
import type { FeedbackService } from '../feedback/feedback';
import { FeedbackRepo } from '../feedback/repository';
import { checkOutput } from '../files/output';
import { privateTemp } from '../files/private-temp';
import { fingerprintFd } from '../media/media';
import type { Policy } from '../rpc/policy';
import type { SealedPart } from './sealed-file';
import type { SupervisedSegment, SupervisionManifest } from './manifest';
import { PackageRepo } from './repository';
import {
  chooseCodebook,
  importedFields,
  packRecordings,
  packSegment,
  placeRecording,
  seal,
  unpack,
  type PackageDeps,
} from './packages';
import { SupervisionRepo, type LocatedRater } from './supervision-repo';

const KIND = 'supervision';

export interface SupervisionChoice {
  sessionId: number;
  /** Who the file is for (a name; their library checks it is theirs). */
  to: string;
  draft?: boolean;
  releaseCoding?: boolean;
  includeMedia?: boolean;
}

export interface SupervisionDeps extends PackageDeps {
  feedback: FeedbackService;
  policy: Policy;
}

type Unsigned = Omit<SupervisionManifest, 'signature'>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class SupervisionService {
  private readonly repo: SupervisionRepo;
  private readonly ann: AnnotationRepos;
  private readonly packages: PackageRepo;
  private readonly feedbackRepo: FeedbackRepo;
  constructor(private readonly core: SupervisionDeps) {
    this.repo = new SupervisionRepo(core.db);
    this.ann = createAnnotationRepos(core.db);
    this.packages = new PackageRepo(core.db);
    this.feedbackRepo = new FeedbackRepo(core.db);
  }

  /** This library's identity: an id and a signing key, made once (kept in the library, encrypted with it). */
  private identity(): { id: string; publicKey: string; privateKey: KeyObject } {
    const settings = this.ann.settings;
    let id = settings.get('libraryId');
    let pem = settings.get('librarySigningKey');
    let pub = settings.get('libraryPublicKey');
    if (!id || !pem || !pub) {
      const pair = generateKeyPairSync('ed25519');
      id = randomUUID();
      pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      pub = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
      const [i, k, p] = [id, pem, pub];
      write(this.core.db, () => {
        settings.set('libraryId', i);
        settings.set('librarySigningKey', k);
        settings.set('libraryPublicKey', p);
      });
    }
    return { id, publicKey: pub, privateKey: createPrivateKey(pem) };
  }

  /** What a file for `to` would carry now, in words (nothing is written). */
  preview(choice: SupervisionChoice, from: Rater): SupervisionPreviewView {
    return this.build(choice, from, []).preview;
  }

  /** Writes a session's supervision file, sealed with `passphrase`, as `from`. */
  async send(
    choice: SupervisionChoice & {
      out: string;
      passphrase: string;
      onProgress?: (done: number, total: number) => void;
      signal?: AbortSignal;
    },
    from: Rater,
  ): Promise<SupervisionReportView> {
    const { core } = this;
    const parts: SealedPart[] = [];
    const built = this.build(choice, from, parts);
    checkOutput(choice.out, { what: 'a supervision file', dataDir: core.dataDir });
    const me = this.identity();
    const seq = Number(this.ann.settings.get('supervisionSeq') ?? '0') + 1;
    const unsigned: Unsigned = {
      ...built.unsigned,
      fileId: randomUUID(),
      library: { id: me.id, publicKey: me.publicKey },
      seq,
    };
    const signature = sign(null, Buffer.from(JSON.stringify(unsigned), 'utf8'), me.privateKey).toString('base64');
    const manifest: SupervisionManifest = { ...unsigned, signature };
    const { bytes } = await seal(
      choice.out,
      choice.passphrase,
      manifest,
      { fileId: unsigned.fileId, sessionUid: unsigned.session.uid },
      parts,
      { onProgress: choice.onProgress, signal: choice.signal },
    );
    const p = built.preview;
    write(core.db, () => {
      this.ann.settings.set('supervisionSeq', String(seq));
      this.repo.log({
        fileId: unsigned.fileId,
        direction: 'sent',
        sessionId: choice.sessionId,
        peer: p.to,
        summary: { changes: p.shares, fromId: from.id, seq },
      });
      core.audit.record('supervision.send', `case ${p.caseCode} session ${p.number} for ${p.to}`, {
        fileId: unsigned.fileId,
        includeMedia: choice.includeMedia ?? false,
      });
    });
    return {
      file: path.resolve(choice.out),
      fileId: unsigned.fileId,
      direction: 'sent',
      from: from.name,
      to: p.to,
      sessionId: choice.sessionId,
      caseCode: p.caseCode,
      number: p.number,
      alreadyDone: false,
      createdSession: false,
      changes: p.shares,
      counts: {
        threadsAdded: 0,
        repliesAdded: 0,
        edited: 0,
        stateChanged: 0,
        deleted: 0,
        lanes: unsigned.lanes.length,
      },
      notes: p.leftOut,
      bytes,
    };
  }

  /** The session's files sent and received, newest first. */
  history(sessionId: number): SupervisionHistoryView[] {
    this.core.library.getSession(sessionId);
    return this.repo.history(sessionId).map((e) => ({
      fileId: e.fileId,
      direction: e.direction,
      peer: e.peer,
      createdAt: e.createdAt,
      changes: Array.isArray(e.summary.changes) ? (e.summary.changes as string[]) : [],
    }));
  }

  /** The manifest (without the library's identity and number) and what it shares, in words. */
  private build(
    choice: SupervisionChoice,
    from: Rater,
    parts: SealedPart[],
  ): { unsigned: Omit<Unsigned, 'fileId' | 'library' | 'seq'>; preview: SupervisionPreviewView } {
    const { core } = this;
    const session = core.library.getSession(choice.sessionId);
    const caseCode = core.library.getCase(session.caseId).code;
    const sender = this.repo.rater(from.id);
    if (!sender) throw new AppError('NOT_FOUND', 'The rater at the machine no longer exists.');
    core.policy.assertFeedback(from);
    if (sender.home !== null)
      throw new AppError(
        'FORBIDDEN',
        `${from.name} writes on another computer: only their own library sends their work. Choose yourself as the rater at this machine.`,
      );
    const to = choice.to.trim();
    if (to.toLowerCase() === from.name.toLowerCase())
      throw new AppError('INVALID_INPUT', 'The file is for someone else: say who (--to NAME).');
    const shares: string[] = [];
    const leftOut: string[] = [];
    const everyone = this.repo.raters();
    const here = everyone.filter((r) => r.home === null && !r.consensus);
    const recipient = everyone.find((r) => !r.consensus && r.name.toLowerCase() === to.toLowerCase());

    // The sender's own lane: submitted, or as a draft when they choose; a supervisor's when released.
    const lanes: Unsigned['lanes'] = [];
    const rating = this.ann.ratings.get(session.id, from.id);
    const sessionSegments = this.ann.segments.listBySession(session.id);
    const segments = sessionSegments.filter((s) => s.raterId === from.id);
    const uids = this.repo.segmentUids(session.id, from.id);
    const responses = core.perspectiveRepos.responses.forSession(session.id).filter((r) => r.raterId === from.id);
    const grid = this.packages.grid(session.id, from.id);
    const hasWork = segments.length > 0 || responses.length > 0 || grid.cells.length > 0 || rating !== undefined;
    const own = from.role === 'supervisor' ? 'your coding' : 'your self-review';
    if (hasWork) {
      const submitted = rating?.status === 'submitted';
      if (from.role === 'supervisor' && !choice.releaseCoding)
        leftOut.push(`${own} (${plural(segments.length, 'segment')}): not released`);
      else if (!submitted && !choice.draft)
        leftOut.push(
          `${own} (${plural(segments.length, 'segment')}): a draft, not submitted; submit it, or send it as a draft`,
        );
      else {
        lanes.push({
          raterUid: sender.uid,
          rating: {
            status: submitted ? 'submitted' : 'draft',
            revision: rating?.revision ?? 1,
            submittedAt: rating?.submittedAt ?? null,
          },
          segments: segments.map((s) => ({ ...packSegment(s), uid: uids.get(s.id)! })),
          grid,
          responses: responses.map((r) => ({
            instrument: r.instrument.key,
            perspective: r.perspective,
            answers: r.answers,
          })),
        });
        shares.push(
          `${own}${submitted ? ` (submitted, revision ${rating!.revision})` : ' as a draft'}: ${plural(segments.length, 'segment')}, ${plural(grid.cells.length, 'grid cell')}, ${plural(responses.length, 'questionnaire')}`,
        );
      }
    }

    // Feedback written in this library: every item of its authors, and the threads whose state
    // they set (the state travels, never another author's words). Held from the recipient: none.
    const rows = this.feedbackRepo.syncRows(session.id);
    const mine = rows.filter(
      (r) => r.authorHome === null || (r.parentId === null && r.stateBy !== null && r.stateByHome === null),
    );
    const hold = core.feedback.hold(session.id);
    const heldFrom = recipient ? core.policy.feedbackHeldFrom(session.id, recipient, hold) : false;
    const authored = mine.filter((r) => r.authorHome === null);
    let feedback: Unsigned['feedback'] = null;
    if (heldFrom) {
      leftOut.push(
        `${plural(authored.length, 'feedback item')}: held from ${recipient!.name} until their self-review is submitted (the hold on feedback)`,
      );
    } else {
      feedback = {
        labels: from.role === 'supervisor' ? core.feedback.labels() : [],
        items: mine.map((r) => ({
          uid: r.uid,
          parentUid: r.parentUid,
          authorUid: r.authorUid,
          startMs: r.startMs,
          endMs: r.endMs,
          segmentUid: r.segmentUid,
          label: r.label,
          text: r.text,
          createdAt: r.createdAt,
          editedAt: r.editedAt,
          state: r.state,
          stateByUid: r.stateByHome === null ? r.stateByUid : null,
          stateAt: r.stateByHome === null ? r.stateAt : null,
        })),
      };
      const threads = authored.filter((r) => r.parentId === null).length;
      const replies = authored.length - threads;
      if (authored.length || from.role === 'supervisor')
        shares.push(
          `feedback: ${plural(threads, 'comment')} and ${plural(replies, 'reply', 'replies')}${from.role === 'supervisor' ? ', with the list of labels' : ''}`,
        );
    }
    // People who write here and whose items the file carries.
    const people = new Set<number>([from.id]);
    for (const r of mine) {
      if (r.authorHome === null) people.add(r.authorId);
      if (r.stateBy !== null && r.stateByHome === null) people.add(r.stateBy);
    }
    const raters = here.filter((r) => people.has(r.id)).map((r) => ({ uid: r.uid, name: r.name, role: r.role }));
    const otherCount = new Set(sessionSegments.filter((s) => s.raterId !== from.id).map((s) => s.raterId)).size;
    if (otherCount)
      leftOut.push(
        `${plural(otherCount, 'other rater’s lane', 'other raters’ lanes')}: never sent (each sends their own)`,
      );

    const recordings = packRecordings(core.repos, session.id, choice.includeMedia ?? false, parts, 0);
    shares.unshift(
      `case ${caseCode} session ${session.number}${session.date ? ` (${session.date})` : ''}: its case code, number, date and modality (no therapist name, no notes)`,
      recordings.length
        ? `${plural(recordings.length, 'recording')} ${choice.includeMedia ? 'included' : 'by fingerprint (the other computer links its own copy)'}`
        : 'no recording (the session has none yet)',
    );
    let holdSetting: boolean | null | undefined;
    if (from.role === 'supervisor') {
      holdSetting = hold.source === 'default' ? null : hold.on;
      if (hold.source !== 'default') shares.push(`the hold on feedback: ${hold.on ? 'on' : 'off'}`);
    }
    const codebook = core.codebook.current();
    return {
      unsigned: {
        kind: KIND,
        studyId: this.ann.settings.get('studyId') ?? null,
        createdAt: new Date().toISOString(),
        appVersion: APP_VERSION,
        from: { uid: sender.uid, name: sender.name, role: sender.role },
        to: { name: recipient?.name ?? to },
        raters,
        session: {
          uid: this.repo.sessionUid(session.id),
          caseCode,
          number: session.number,
          date: session.date,
          modality: session.modality,
          ...(holdSetting !== undefined ? { hold: holdSetting } : {}),
          recordings,
        },
        codebook: { definition: codebook.definition },
        lanes,
        feedback,
        held: heldFrom ? authored.length : 0,
      },
      preview: {
        sessionId: session.id,
        caseCode,
        number: session.number,
        from: from.name,
        to: recipient?.name ?? to,
        shares,
        leftOut,
        recordings: recordings.map((r) => ({
          fileName: r.fileName,
          sizeBytes: r.sizeBytes,
          included: r.media !== null,
        })),
      },
    };
  }

  /** Receives a supervision file: makes the session here the first time, merges every later time. */
  async receive(file: string, passphrase: string): Promise<SupervisionReportView> {
    const { core } = this;
    const name = path.basename(file);
    const work = privateTemp(core.dataDir, 'supervision');
    try {
      const { manifest, raw, media } = await unpack(file, passphrase, work.dir);
      if (manifest.kind !== KIND)
        throw new AppError(
          'PACKAGE_INVALID',
          `${name} is a ${manifest.kind === 'return-package' ? 'return' : 'rating'} package, not a supervision file: use package ${manifest.kind === 'return-package' ? 'import' : 'open'}.`,
        );
      const m = manifest;
      this.checkSender(m, raw, name);
      const placed: string[] = [];
      try {
        return write(core.db, () => this.merge(m, file, media, placed));
      } catch (e) {
        for (const f of placed) fs.rmSync(f, { force: true });
        throw e;
      }
    } finally {
      fs.rmSync(work.dir, { recursive: true, force: true });
    }
  }

  /** The file is from the library it names (its pinned key), not from this one, and of this study. */
  private checkSender(m: SupervisionManifest, raw: unknown, name: string): void {
    if (m.library.id === this.ann.settings.get('libraryId'))
      throw new AppError('INVALID_INPUT', `${name} was sent from this library; receive it on the other computer.`);
    const unsigned = { ...(raw as Record<string, unknown>) };
    delete unsigned.signature;
    let good = false;
    try {
      const key = createPublicKey({ key: Buffer.from(m.library.publicKey, 'base64'), format: 'der', type: 'spki' });
      good = verify(null, Buffer.from(JSON.stringify(unsigned), 'utf8'), key, Buffer.from(m.signature, 'base64'));
    } catch {
      good = false;
    }
    if (!good)
      throw new AppError(
        'PACKAGE_INVALID',
        `${name} is not signed by the computer it names: it was changed or forged. Nothing was changed.`,
      );
    const pinned = this.repo.peerKey(m.library.id);
    if (pinned !== undefined && pinned !== m.library.publicKey)
      throw new AppError(
        'PACKAGE_INVALID',
        `${name} claims to come from a computer this library has received from, but it is not signed with that computer's key: it was not written there. Nothing was changed.`,
      );
    const study = this.ann.settings.get('studyId');
    if (m.studyId && study && m.studyId !== study)
      throw new AppError('PACKAGE_INVALID', `${name} belongs to another study; nothing was changed.`);
  }

  private merge(m: SupervisionManifest, file: string, media: string | null, placed: string[]): SupervisionReportView {
    const { core } = this;
    const name = path.basename(file);
    const peer = m.library.id;
    const notes: string[] = [];
    const changes: string[] = [];
    const counts = { threadsAdded: 0, repliesAdded: 0, edited: 0, stateChanged: 0, deleted: 0, lanes: 0 };

    // Addressed to someone who works here.
    const local = this.repo.raters();
    const recipient = local.find((r) => r.name.toLowerCase() === m.to.name.toLowerCase());
    if (!recipient || recipient.home !== null || recipient.consensus)
      throw new AppError(
        'INVALID_INPUT',
        `${name} is for ${m.to.name}, who does not work in this library${recipient?.home ? ' (they write on another computer)' : ''}: receive it in their library, or add them as a rater here. Nothing was changed.`,
      );

    // The people of the sending library: known by identity, or met now (then bound to it).
    const people = new Map<string, LocatedRater>();
    if (!m.raters.some((p) => p.uid === m.from.uid)) m.raters.push(m.from);
    for (const p of m.raters) people.set(p.uid, this.person(p, peer, name, notes));
    const from = people.get(m.from.uid)!;
    // Everyone known here as writing on the sending computer (named in this file or an earlier one).
    for (const r of this.repo.raters()) if (r.home === peer && !people.has(r.uid)) people.set(r.uid, r);

    // The session: by identity, or the one here with the same case, number and recordings, or new.
    let sessionId = this.repo.sessionByUid(m.session.uid);
    let createdSession = false;
    if (sessionId === undefined) {
      const c = core.repos.cases.list().find((x) => x.code.toLowerCase() === m.session.caseCode.toLowerCase());
      const same = c && core.repos.sessions.listByCase(c.id).find((x) => x.number === m.session.number);
      if (same) {
        const mineFp = new Set(core.repos.recordings.listBySession(same.id).map((r) => r.fingerprint));
        const theirs = m.session.recordings.map((r) => r.fingerprint);
        if (this.repo.linked(same.id) || (mineFp.size > 0 && theirs.length > 0 && !theirs.some((f) => mineFp.has(f))))
          throw new AppError(
            'DUPLICATE',
            `Case ${m.session.caseCode} already has a session ${m.session.number} here, with other recordings${this.repo.linked(same.id) ? ' or exchanged with another computer' : ''}; this file cannot be received into this library. Nothing was changed.`,
          );
        this.repo.setSessionUid(same.id, m.session.uid);
        sessionId = same.id;
        notes.push(
          `Matched to case ${m.session.caseCode} session ${m.session.number}, already in this library with the same recordings.`,
        );
      } else {
        const kase = c ?? core.library.createCase({ code: m.session.caseCode, therapist: '', notes: '' });
        const s = core.library.createSession({
          caseId: kase.id,
          number: m.session.number,
          date: m.session.date,
          modality: m.session.modality,
          notes: '',
        });
        this.repo.setSessionUid(s.id, m.session.uid);
        sessionId = s.id;
        createdSession = true;
        changes.push(`case ${m.session.caseCode} session ${m.session.number} made in this library`);
      }
    }
    const where = { sessionId, caseCode: m.session.caseCode, number: m.session.number };
    const base = {
      file,
      fileId: m.fileId,
      direction: 'received' as const,
      from: from.name,
      to: recipient.name,
      ...where,
      createdSession,
    };
    const last = this.repo.lastSeq(sessionId, peer);
    if (m.seq <= last)
      return {
        ...base,
        alreadyDone: true,
        changes: [],
        counts,
        notes: [
          m.seq === last
            ? 'This file was received before; nothing was changed.'
            : `A newer file from ${from.name}'s computer was received before this one; nothing was changed.`,
        ],
      };
    this.repo.pinPeer(peer, m.library.publicKey);

    // Recordings this library does not have: from the file, or the user's copy beside it (by fingerprint), or to relink.
    const have = new Set(core.repos.recordings.listBySession(sessionId).map((r) => r.fingerprint));
    let toRelink = 0;
    for (const r of m.session.recordings) {
      if (have.has(r.fingerprint)) continue;
      const beside = besideMatch(path.dirname(path.resolve(file)), r.fileName, r.sizeBytes, r.fingerprint);
      const added = placeRecording(
        core,
        sessionId,
        m.session.caseCode,
        m.session.number,
        r,
        beside ? null : media,
        path.join('supervision', m.fileId),
      );
      placed.push(...added);
      if (beside) {
        const rec = core.repos.recordings.listBySession(sessionId).find((x) => x.fingerprint === r.fingerprint)!;
        core.repos.recordings.setPath(rec.id, beside, r.fileName);
        changes.push(`recording ${r.fileName} linked to the copy beside the file (same fingerprint)`);
      } else if (!r.media || !media) toRelink++;
      else changes.push(`recording ${r.fileName} copied from the file`);
    }
    if (toRelink)
      notes.push(
        `${plural(toRelink, 'recording')} of this session ${toRelink === 1 ? 'is' : 'are'} not on this computer: relink ${toRelink === 1 ? 'it' : 'them'} to your own copy (Relink… on the session; checked by fingerprint).`,
      );

    // The hold on feedback, as the supervisor set it.
    if (m.session.hold !== undefined && from.role === 'supervisor') {
      const before = core.feedback.hold(sessionId);
      this.feedbackRepo.setSessionHold(sessionId, m.session.hold);
      const after = core.feedback.hold(sessionId);
      if (before.on !== after.on)
        changes.push(`the hold on feedback is now ${after.on ? 'on' : 'off'} (as ${from.name} set it)`);
    }

    // Lanes: the sender's people's own work replaces what this library had of it.
    for (const lane of m.lanes) {
      const rater = people.get(lane.raterUid);
      if (!rater) {
        notes.push('A lane of someone who does not write on the sending computer was left out.');
        continue;
      }
      const line = this.mergeLane(sessionId, rater, lane, m, name);
      if (line) {
        changes.push(line);
        counts.lanes++;
      }
    }

    // Feedback: the sender's people's items by identity; the state of any thread they set.
    if (m.feedback) {
      const r = this.mergeFeedback(sessionId, m.feedback, people, from, notes);
      Object.assign(counts, { ...r.counts, lanes: counts.lanes });
      changes.push(...r.lines);
    } else if (m.held)
      notes.push(`${from.name} has ${plural(m.held, 'feedback item')} held until your self-review is submitted.`);

    if (!changes.length) changes.push('nothing new');
    this.repo.setLastSeq(sessionId, peer, m.seq);
    this.repo.log({
      fileId: m.fileId,
      direction: 'received',
      sessionId,
      peer: from.name,
      summary: { changes, seq: m.seq },
    });
    core.audit.record(
      'supervision.receive',
      `case ${m.session.caseCode} session ${m.session.number} from ${from.name}`,
      {
        fileId: m.fileId,
      },
    );
    return { ...base, alreadyDone: false, changes, counts, notes };
  }

  /**
   * A person named in a file: known here by identity (and writing in the sending library), or met
   * now. Someone who writes in this library, or in a third one, is never taken as the sender's.
   */
  private person(p: SupervisionManifest['from'], peer: string, name: string, notes: string[]): LocatedRater {
    const all = this.repo.raters();
    const forged = (who: string, elsewhere: boolean) =>
      new AppError(
        'PACKAGE_INVALID',
        `${name} claims to carry what ${who} wrote, but ${who} writes ${elsewhere ? 'on another computer than the one that sent it' : 'in this library'}: it was not written by them. Nothing was changed.`,
      );
    const byUid = all.find((r) => r.uid === p.uid);
    if (byUid) {
      if (byUid.home === peer) return byUid;
      throw forged(byUid.name, byUid.home !== null);
    }
    const byName = all.find((r) => r.name.toLowerCase() === p.name.toLowerCase());
    if (byName) {
      if (byName.consensus) throw forged(byName.name, false);
      if (byName.home !== null && byName.home !== peer) throw forged(byName.name, true);
      if (byName.home === null && (this.repo.actedHere(byName.id) || this.core.raters.current()?.id === byName.id))
        throw forged(byName.name, false);
      this.repo.locate(byName.id, p.uid, peer);
      notes.push(`${byName.name} (in this library) is now the ${p.name} who writes on the sending computer.`);
      if (byName.role !== p.role)
        notes.push(
          `${byName.name} rates as ${byName.role} here and as ${p.role} there; this library keeps ${byName.role}.`,
        );
      return { ...byName, uid: p.uid, home: peer };
    }
    const made = this.ann.raters.insert(p.name, p.role);
    this.repo.locate(made.id, p.uid, peer);
    return { ...made, uid: p.uid, home: peer };
  }

  /** One lane of the file in place of what this library had of it (its older submitted revision kept). */
  private mergeLane(
    sessionId: number,
    rater: LocatedRater,
    lane: SupervisionManifest['lanes'][number],
    m: SupervisionManifest,
    name: string,
  ): string | null {
    const { core } = this;
    const here = this.ann.ratings.get(sessionId, rater.id);
    const incoming = lane.rating;
    if (here?.status === 'submitted' && incoming.status === 'submitted' && incoming.revision < here.revision)
      return null;
    const used = lane.segments.flatMap((s) => s.codes);
    const { versionId, note } = chooseCodebook(
      { ann: this.ann, codebook: core.codebook },
      m.codebook.definition,
      used,
      null,
      name,
    );
    const codebook = this.ann.codebooks.byVersionId(versionId)!;
    const kinds = new Map(lane.segments.map((x) => [x.id, x.kind]));
    if (kinds.size !== lane.segments.length)
      throw new AppError('PACKAGE_INVALID', `${name} carries two segments with one id. Nothing was changed.`);
    for (const x of lane.segments) {
      try {
        core.segments.checkImported(
          { ...importedFields(x), sessionId, raterId: rater.id, codebookVersionId: versionId },
          codebook,
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
          `${name}: ${rater.name}'s ${x.kind} at ${formatTime(x.startMs)}: ${(e as Error).message} Nothing was changed.`,
        );
      }
    }
    // The same lane as here (a later file of the other side's feedback, say): nothing to do.
    if (this.laneHere(sessionId, rater.id) === laneOf(lane)) return null;
    const before = this.ann.segments.listBySession(sessionId).filter((s) => s.raterId === rater.id);
    // Comments about this lane's segments find them again by their identity.
    const about = this.feedbackRepo.aboutSegmentsOf(sessionId, rater.id);
    if (here?.status === 'submitted' && incoming.revision > here.revision)
      this.packages.keepRevision(
        sessionId,
        rater.id,
        here.revision,
        `replaced by ${rater.name}'s revision ${incoming.revision} (received)`,
        before,
      );
    this.packages.clearWork(sessionId, rater.id);
    this.packages.setRating(sessionId, rater.id, incoming);
    const ids = new Map<number, number>();
    for (const x of lane.segments) {
      const id = this.ann.segments.insert({
        ...importedFields(x),
        sessionId,
        raterId: rater.id,
        codebookVersionId: versionId,
      });
      this.repo.setSegmentUid(id, x.uid);
      ids.set(x.id, id);
    }
    for (const x of lane.segments)
      if (x.linkedRuptureIds.length)
        this.ann.segments.setLinks(
          ids.get(x.id)!,
          x.linkedRuptureIds.map((id) => ids.get(id)).filter((id): id is number => id !== undefined),
        );
    for (const f of about)
      this.feedbackRepo.relinkSegment(f.id, this.repo.segmentByUid(sessionId, f.segmentUid) ?? null);
    if (lane.grid.session)
      this.ann.grid.setSession(
        sessionId,
        rater.id,
        lane.grid.session.segmentMs,
        lane.grid.session.therapistContribution,
        lane.grid.session.resolutionExtent,
      );
    for (const c of lane.grid.cells) this.ann.grid.setCell(sessionId, rater.id, c.segmentMs, c);
    for (const r of lane.responses) {
      const inst = core.perspectiveRepos.instruments.byKey(r.instrument);
      if (!inst) continue;
      core.perspectiveRepos.responses.save({
        sessionId,
        raterId: rater.id,
        instrumentId: inst.id,
        perspective: r.perspective,
        answers: r.answers,
      });
    }
    const left = lane.responses.filter((r) => !core.perspectiveRepos.instruments.byKey(r.instrument)).length;
    const what = `${rater.name}'s ${rater.role === 'supervisor' ? 'coding' : 'self-review'}`;
    const line = `${what}${incoming.status === 'submitted' ? ` (submitted, revision ${incoming.revision})` : ' (a draft)'}: ${plural(lane.segments.length, 'segment')}${note ? `; ${note}` : ''}`;
    return left ? `${line}; ${plural(left, 'questionnaire')} left out (not in this library)` : line;
  }

  /** A rater's lane on a session as it is here, in the form `laneOf` gives a received one (to compare). */
  private laneHere(sessionId: number, raterId: number): string {
    const uids = this.repo.segmentUids(sessionId, raterId);
    const rating = this.ann.ratings.get(sessionId, raterId);
    return canonicalLane({
      rating: rating ? { status: rating.status, revision: rating.revision } : null,
      segments: this.ann.segments
        .listBySession(sessionId)
        .filter((x) => x.raterId === raterId)
        .map((x) => ({ ...x, uid: uids.get(x.id)!, links: x.linkedRuptureIds.map((id) => uids.get(id) ?? '') })),
      grid: this.packages.grid(sessionId, raterId),
      responses: this.core.perspectiveRepos.responses
        .forSession(sessionId)
        .filter((r) => r.raterId === raterId)
        .map((r) => ({ instrument: r.instrument.key, perspective: r.perspective, answers: r.answers })),
    });
  }

  private mergeFeedback(
    sessionId: number,
    fb: NonNullable<SupervisionManifest['feedback']>,
    people: Map<string, LocatedRater>,
    from: LocatedRater,
    notes: string[],
  ): {
    counts: { threadsAdded: number; repliesAdded: number; edited: number; stateChanged: number; deleted: number };
    lines: string[];
  } {
    const { core } = this;
    const counts = { threadsAdded: 0, repliesAdded: 0, edited: 0, stateChanged: 0, deleted: 0 };
    const duration = core.segments.sessionDurationMs(sessionId);
    const known = new Map(this.feedbackRepo.syncRows(sessionId).map((r) => [r.uid, r]));
    const incoming = new Set(fb.items.map((i) => i.uid));
    let leftOut = 0;
    // The label list comes with a supervisor's feedback (comments keep theirs).
    if (from.role === 'supervisor' && fb.labels.length) {
      const now = core.feedback.labels();
      const merged = [...now, ...fb.labels.filter((l) => !now.some((x) => x.toLowerCase() === l.toLowerCase()))];
      if (merged.length !== now.length) this.feedbackRepo.setLabels(merged);
    }
    const ordered = fb.items.filter((i) => i.parentUid === null).concat(fb.items.filter((i) => i.parentUid !== null));
    const elsewhere = this.repo.feedbackOutside(sessionId, [...incoming]);
    if (elsewhere)
      throw new AppError('PACKAGE_INVALID', 'The file carries a comment of another session. Nothing was changed.');
    for (const item of ordered) {
      const author = people.get(item.authorUid);
      const existing = known.get(item.uid);
      if (author && existing === undefined) {
        // New: a comment or a reply of the sender's people, checked by the rules the app's own obey.
        core.policy.assertFeedback(author);
        const parent = item.parentUid === null ? null : known.get(item.parentUid);
        if (item.parentUid !== null && (!parent || parent.parentId !== null)) {
          leftOut++;
          continue;
        }
        if (item.parentUid === null && (item.startMs === null || (item.endMs ?? item.startMs) < item.startMs))
          throw new AppError('PACKAGE_INVALID', 'The file carries a comment without a time. Nothing was changed.');
        if ((item.endMs ?? item.startMs ?? 0) > duration)
          throw new AppError(
            'PACKAGE_INVALID',
            `The file carries a comment at ${formatTime(item.endMs ?? item.startMs ?? 0)}, after the end of the session (${formatTime(duration)}). Nothing was changed.`,
          );
        const stateBy = item.stateByUid ? (people.get(item.stateByUid)?.id ?? null) : null;
        const row = {
          uid: item.uid,
          sessionId,
          parentId: parent ? parent.id : null,
          authorId: author.id,
          startMs: parent ? null : item.startMs,
          endMs: parent ? null : (item.endMs ?? item.startMs),
          segmentId: item.segmentUid ? (this.repo.segmentByUid(sessionId, item.segmentUid) ?? null) : null,
          label: parent ? null : item.label,
          text: item.text.trim(),
          createdAt: item.createdAt,
          editedAt: item.editedAt,
          state: parent || stateBy === null ? ('open' as const) : item.state,
          stateBy: parent ? null : stateBy,
          stateAt: !parent && stateBy !== null ? item.stateAt : null,
        };
        const id = this.feedbackRepo.insertSynced(row);
        known.set(item.uid, {
          ...row,
          id,
          parentUid: item.parentUid,
          authorUid: item.authorUid,
          authorHome: author.home,
          segmentUid: item.segmentUid,
          stateByUid: row.stateBy === null ? null : item.stateByUid,
          stateByHome: author.home,
        });
        if (parent) counts.repliesAdded++;
        else counts.threadsAdded++;
        continue;
      }
      if (!existing) continue; // another author's item this library does not have: not the sender's to give
      if (author && existing.authorId === author.id) {
        // The author's own words, as they are now on their computer.
        if (existing.text !== item.text.trim() || existing.label !== (existing.parentId === null ? item.label : null)) {
          this.feedbackRepo.applyEdit(
            existing.id,
            item.text.trim(),
            existing.parentId === null ? item.label : null,
            item.editedAt,
          );
          counts.edited++;
        }
      }
      // A thread's state, set by one of the sender's people, later than what is here.
      if (existing.parentId === null && item.stateByUid) {
        const by = people.get(item.stateByUid);
        if (
          by &&
          later(item.stateAt, item.stateByUid, existing.stateAt, existing.stateByUid) &&
          (existing.state !== item.state || existing.stateBy !== by.id)
        ) {
          this.feedbackRepo.applyState(existing.id, item.state, by.id, item.stateAt);
          if (existing.state !== item.state) counts.stateChanged++;
        }
      }
    }
    // What the sender's people deleted on their computer goes here too (never with another's replies).
    const senders = new Set([...people.values()].map((p) => p.id));
    const now = this.feedbackRepo.syncRows(sessionId);
    for (const r of now.filter((x) => x.parentId !== null).concat(now.filter((x) => x.parentId === null))) {
      if (!senders.has(r.authorId) || incoming.has(r.uid)) continue;
      const others = now.filter((x) => x.parentId === r.id && !senders.has(x.authorId) && x.authorId !== r.authorId);
      if (r.parentId === null && others.length) {
        notes.push(
          `A comment its author deleted was kept: others replied to it here (${plural(others.length, 'reply', 'replies')}).`,
        );
        continue;
      }
      this.feedbackRepo.remove(r.id);
      counts.deleted++;
    }
    if (leftOut)
      notes.push(
        `${plural(leftOut, 'reply', 'replies')} left out: the comment they answer is no longer in this library.`,
      );
    const lines: string[] = [];
    if (counts.threadsAdded) lines.push(`${plural(counts.threadsAdded, 'new comment')}`);
    if (counts.repliesAdded) lines.push(`${plural(counts.repliesAdded, 'new reply', 'new replies')}`);
    if (counts.edited) lines.push(`${plural(counts.edited, 'comment or reply', 'comments or replies')} edited`);
    if (counts.stateChanged) lines.push(`${plural(counts.stateChanged, 'thread')} acknowledged, resolved or reopened`);
    if (counts.deleted)
      lines.push(
        `${plural(counts.deleted, 'item')} deleted by ${counts.deleted === 1 ? 'its author' : 'their authors'}`,
      );
    return { counts, lines };
  }
}

/** Whether state set at `a` (by `aBy`) is later than at `b`: the time, then the setter's identity (so both sides agree). */
function later(a: string | null, aBy: string, b: string | null, bBy: string | null): boolean {
  if (!a) return false;
  if (!b) return true;
  return a > b || (a === b && aBy > (bBy ?? ''));
}

type LaneForm = {
  rating: { status: string; revision: number } | null;
  segments: (Omit<SupervisedSegment, 'id' | 'linkedRuptureIds'> & { links: string[] })[];
  grid: SupervisionManifest['lanes'][number]['grid'];
  responses: SupervisionManifest['lanes'][number]['responses'];
};

/** A lane as one text, in one order (segments by identity), to tell whether anything differs. */
function canonicalLane(l: LaneForm): string {
  return JSON.stringify({
    rating: l.rating,
    segments: [...l.segments]
      .sort((a, b) => (a.uid < b.uid ? -1 : 1))
      .map((x) => [
        x.uid,
        x.kind,
        x.startMs,
        x.endMs,
        x.ruptureType,
        normalizeCodes(x.codes),
        x.rating,
        x.stage,
        normalizeCodes(x.tags),
        x.note,
        x.resolved,
        [...x.links].sort(),
      ]),
    grid: l.grid,
    responses: [...l.responses].sort((a, b) => (a.instrument < b.instrument ? -1 : 1)),
  });
}

/** A received lane in the form `laneHere` gives. */
function laneOf(lane: SupervisionManifest['lanes'][number]): string {
  const uid = new Map(lane.segments.map((x) => [x.id, x.uid]));
  return canonicalLane({
    rating: { status: lane.rating.status, revision: lane.rating.revision },
    segments: lane.segments.map((x) => ({ ...x, links: x.linkedRuptureIds.map((id) => uid.get(id) ?? '') })),
    grid: lane.grid,
    responses: lane.responses,
  });
}

/** The user's own copy of a recording beside the received file: the same name, size and fingerprint. */
function besideMatch(dir: string, fileName: string, size: number, fingerprint: string): string | null {
  const candidate = path.join(dir, fileName);
  let fd: number;
  try {
    if (fs.statSync(candidate).size !== size) return null;
    fd = fs.openSync(candidate, 'r');
  } catch {
    return null;
  }
  try {
    return fingerprintFd(fd, size) === fingerprint ? candidate : null;
  } finally {
    fs.closeSync(fd);
  }
}
