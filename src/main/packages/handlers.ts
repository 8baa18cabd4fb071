/**
 * Rating packages for the app. Sending and importing are a supervisor's; opening a package is
 * for whoever sits at the observer's machine (a new library has no rater yet: the package brings
 * them); a return is written only by the package's own rater.
 */
import { AppError } from '../../shared/errors';
import type { Core } from '../app';
import type { Dialogs } from '../platform/types';
import { AT_THE_MACHINE, type Caller, type HandlerSlice } from '../rpc/types';

export function packageHandlers(
  core: Core,
  dialogs: Dialogs,
  caller: Caller = AT_THE_MACHINE,
): HandlerSlice<
  | 'packages:list'
  | 'packages:export'
  | 'packages:open'
  | 'packages:return'
  | 'packages:import'
  | 'packages:cancel'
  | 'supervision:preview'
  | 'supervision:send'
  | 'supervision:receive'
  | 'supervision:history'
  | 'dialogs:openPackages'
  | 'dialogs:savePackage'
  | 'audit:list'
  | 'backups:list'
  | 'backups:now'
> {
  const viewer = () => caller.viewer(core);
  // Who sends a supervision file: the rater at the machine (the command line: --as, or the library's current rater).
  const sender = () => {
    const me = viewer();
    const who = me === 'all' ? core.raters.current() : me;
    if (!who)
      throw new AppError(
        'INVALID_INPUT',
        'Say who sends the file: choose yourself as the rater at this machine (--as NAME).',
      );
    return who;
  };
  // One package written at a time can be cancelled (the one with its recordings takes long).
  let writing: AbortController | null = null;
  return {
    'packages:list': () => {
      const names = new Map(core.annotations.raters().map((r) => [r.id, r.name]));
      return core.packages.list().map((p) => ({
        packageId: p.packageId,
        kind: p.kind,
        studyId: p.studyId,
        sourcePackageId: p.sourcePackageId,
        raterId: p.raterId,
        raterName: p.raterId === null ? null : (names.get(p.raterId) ?? null),
        sessionIds: Object.values(p.sessions),
        createdAt: p.createdAt,
      }));
    },
    'packages:export': async (i) => {
      core.policy.assertSupervisor(viewer(), 'sends rating packages');
      const rater = core.annotations.raters().find((r) => r.id === i.raterId);
      if (!rater) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
      const controller = new AbortController();
      writing = controller;
      let shown = -1;
      try {
        return await core.packages.exportRating({
          sessionIds: i.sessionIds,
          rater: rater.name,
          out: i.out,
          passphrase: i.passphrase,
          includeMedia: i.includeMedia,
          dueDate: i.dueDate,
          signal: controller.signal,
          // A percent at a time, not an event per chunk.
          onProgress: (done, total) => {
            const pct = total ? Math.floor((done / total) * 100) : 100;
            if (pct !== shown) core.emit('packages:progress', { done, total });
            shown = pct;
          },
        });
      } finally {
        if (writing === controller) writing = null;
      }
    },
    'packages:cancel': () => {
      const w = writing;
      w?.abort();
      return { cancelled: w !== null };
    },
    'supervision:preview': (i) => core.supervision.preview(i, sender()),
    'supervision:send': async (i) => {
      const controller = new AbortController();
      writing = controller;
      let shown = -1;
      try {
        return await core.supervision.send(
          {
            ...i,
            signal: controller.signal,
            onProgress: (done, total) => {
              const pct = total ? Math.floor((done / total) * 100) : 100;
              if (pct !== shown) core.emit('packages:progress', { done, total });
              shown = pct;
            },
          },
          sender(),
        );
      } finally {
        if (writing === controller) writing = null;
      }
    },
    'supervision:receive': (i) => {
      const me = viewer();
      if (me !== 'all') core.policy.assertFeedback(me);
      return core.supervision.receive(i.file, i.passphrase);
    },
    'supervision:history': (i) => {
      const me = viewer();
      if (me !== 'all') core.policy.assertFeedback(me);
      return core.supervision.history(i.sessionId);
    },
    'packages:open': (i) => core.packages.open(i.file, i.passphrase),
    'packages:return': (i) => {
      const pkg = core.packages.list().find((p) => p.packageId === i.packageId && p.kind === 'opened');
      if (!pkg) throw new AppError('NOT_FOUND', 'That package was not opened in this library.');
      const me = viewer();
      if (me && me !== 'all' && me.id !== pkg.raterId)
        throw new AppError('FORBIDDEN', 'Only the rater the package was sent to can return it.');
      return core.packages.writeReturn({ out: i.out, passphrase: i.passphrase, packageId: i.packageId });
    },
    'audit:list': () => {
      core.policy.assertSupervisor(viewer(), 'reads the audit log');
      return {
        entries: core.audit.list({ limit: 5000 }).map(({ hash: _hash, ...e }) => e),
        verify: core.audit.verify(),
      };
    },
    'backups:list': () => {
      core.policy.assertSupervisor(viewer(), 'manages backups');
      return core.backups.list();
    },
    'backups:now': async () => {
      core.policy.assertSupervisor(viewer(), 'manages backups');
      const b = await core.backups.now('manual');
      core.audit.record('backup.make', b.name, {});
      return b;
    },
    'dialogs:openPackages': (i) => dialogs.openPackages?.(i.multiple) ?? null,
    'dialogs:savePackage': (i) => dialogs.savePackage?.(i.suggestedName) ?? null,
    'packages:import': (i) => {
      core.policy.assertSupervisor(viewer(), 'imports returned packages');
      return core.packages.importReturns(i.files, i.passphrase);
    },
  };
}
