/**
 * Interop for the app: the import dialog (preview, then import, as the current rater), session
 * exports as files, and transcripts. A supervisor imports any tiers as any raters and the
 * transcript (research data management); anyone else imports only into their own lane.
 */
import type { Core } from '../app';
import { AppError } from '../../shared/errors';
import { write } from '../db/open';
import { sessionBoris, sessionCsv, sessionDocument, sessionEaf } from './exporter';
import type { FileImportOptions, FileImportOutcome } from './service';
import type { MapFile } from './mapping';
import type { ImportChoices, ImportPreview } from '../../shared/interop';
import { AT_THE_MACHINE, type Caller, type HandlerSlice } from '../rpc/types';

function toPreview(o: FileImportOutcome, stored: boolean): ImportPreview {
  return {
    detected: o.detected,
    formatLabel: o.formatLabel,
    encoding: o.encoding,
    tiers: (o.plan?.tiers ?? []).map((t) => ({ ...t, values: t.values.slice(0, 30) })),
    unmapped: o.plan?.unmapped ?? [],
    newCodes: (o.plan?.newCodes ?? []).map((c) => ({ key: c.key, label: c.label, category: c.category })),
    warnings: o.warnings,
    rejected: o.rejected.slice(0, 100).map((r) => ({ at: r.at, reason: r.reason })),
    rejectedCount: o.rejected.length,
    blocking: o.plan?.blocking ?? [],
    segments: o.imported,
    perRater: o.perRater,
    utterances: o.utterances,
    stored,
    account: { imported: o.account.imported, leftOut: o.account.leftOut, changed: o.account.changed },
  };
}

export function interopHandlers(core: Core, caller: Caller = AT_THE_MACHINE) {
  const me = () => core.policy.requireViewer(caller.viewer(core));
  const options = (choices: ImportChoices): FileImportOptions => {
    const viewer = me();
    const supervisor = viewer.role === 'supervisor';
    const names = new Set([...Object.keys(choices.roles ?? {}), ...Object.keys(choices.raters ?? {})]);
    const map: MapFile = {
      codes: choices.codes,
      tiers: Object.fromEntries(
        [...names].map((n) => [n, { role: choices.roles?.[n], rater: supervisor ? choices.raters?.[n] : undefined }]),
      ),
    };
    return {
      map,
      addCodes: supervisor && (choices.addCodes ?? false),
      encoding: choices.encoding,
      skipInvalid: choices.skipInvalid,
      submit: supervisor && (choices.submit ?? false),
      // Someone who is not a supervisor brings in their own coding only.
      ...(supervisor
        ? { role: 'observer' as const }
        : { rater: viewer.name, role: viewer.role, noTranscript: 'only a supervisor imports a transcript' }),
    };
  };
  const bytes = (b64: string) => Buffer.from(b64, 'base64');
  return {
    'interop:preview': (i) =>
      toPreview(core.interop.preview(i.sessionId, bytes(i.contentBase64), i.fileName, options(i.choices)), false),
    'interop:import': (i) => {
      const viewer = me();
      core.policy.assertCanWrite(i.sessionId, viewer.id, viewer);
      const out = core.interop.importFile(i.sessionId, bytes(i.contentBase64), i.fileName, options(i.choices));
      return toPreview(
        out,
        out.imported + out.utterances > 0 && (out.rejected.length === 0 || !!i.choices.skipInvalid),
      );
    },
    'exports:session': (i) => {
      const v = caller.viewer(core);
      const viewer = v === 'all' ? null : v;
      const d = core.library.sessionDetail(i.sessionId);
      const base = `${d.case.code}-session-${d.session.number}`;
      switch (i.format) {
        case 'eaf':
          return {
            fileName: `${base}.eaf`,
            mime: 'application/xml',
            content: sessionEaf(core, i.sessionId, {
              includeTranscript: i.includeTranscript,
              viewerId: viewer?.id ?? 0,
              privacy: i,
            }),
          };
        case 'boris':
          return {
            fileName: `${base}.boris`,
            mime: 'application/json',
            content: sessionBoris(core, i.sessionId, { viewerId: viewer?.id ?? 0, privacy: i }),
          };
        case 'csv':
          return {
            fileName: `${base}.csv`,
            mime: 'text/csv',
            content: sessionCsv(core.library, core.annotations, i.sessionId, viewer?.id ?? 0, i),
          };
        case 'json':
          return {
            fileName: `${base}.json`,
            mime: 'application/json',
            content: JSON.stringify(
              {
                ...sessionDocument(core.library, core.annotations, i.sessionId, {
                  viewerId: viewer?.id ?? 0,
                  talk: core.talk,
                  privacy: i,
                }),
                ...(i.includeTranscript ? { transcript: core.transcripts.list(i.sessionId) } : {}),
              },
              null,
              2,
            ),
          };
      }
    },
    'transcript:edit': (i) => {
      const u = core.transcripts.get(i.id);
      if (!u) throw new AppError('NOT_FOUND', 'That utterance no longer exists.');
      write(core.db, () => core.transcripts.edit(i.id, i.text, i.speaker));
      return core.transcripts.get(i.id)!;
    },
    'transcript:list': (i) => {
      core.library.getSession(i.sessionId);
      return core.transcripts.list(i.sessionId);
    },
    'transcript:search': (i) => {
      if (i.sessionId !== undefined) core.library.getSession(i.sessionId);
      return core.transcripts.search(i.query, { sessionId: i.sessionId, limit: 200 });
    },
  } satisfies HandlerSlice<
    | 'interop:preview'
    | 'interop:import'
    | 'exports:session'
    | 'transcript:edit'
    | 'transcript:list'
    | 'transcript:search'
  >;
}
