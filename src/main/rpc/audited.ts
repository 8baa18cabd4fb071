/**
 * Which calls the audit log records, in one table: opening a session, exports, reports, clips and
 * deletions. The subject ("case C-204 session 2") is worked out before the call (a deletion
 * leaves nothing to name afterwards) and the entry written only when the call succeeded.
 * Packages record themselves (the CLI makes them too).
 */
import type { Channel, ChannelParsed } from '../../shared/contract';
import type { Core } from '../app';
import { caseSubject, sessionSubject } from '../protection/audit';
import type { HandlerTable } from './types';

type Rule<C extends Channel> = {
  action: string | ((input: ChannelParsed<C>, output: unknown) => string | null);
  subject: (core: Core, input: ChannelParsed<C>) => string;
  detail?: (input: ChannelParsed<C>) => Record<string, unknown>;
};

const reportSubject = (core: Core, i: { sessionId: number } | { caseId: number }) =>
  'caseId' in i ? caseSubject(core, i.caseId) : sessionSubject(core, i.sessionId);

const RULES: { [C in Channel]?: Rule<C> } = {
  'segments:open': { action: 'session.open', subject: (core, i) => sessionSubject(core, i.sessionId) },
  'exports:session': {
    action: 'session.export',
    subject: (core, i) => sessionSubject(core, i.sessionId),
    detail: (i) => ({ format: i.format }),
  },
  'report:html': { action: 'report.view', subject: (core, i) => reportSubject(core, i) },
  'report:caseHtml': { action: 'report.view', subject: (core, i) => caseSubject(core, i.caseId) },
  'report:savePdf': {
    action: (_, out) => ((out as { path: string | null }).path ? 'report.print' : null),
    subject: (core, i) => reportSubject(core, i),
  },
  'clips:export': { action: 'clip.export', subject: (core, i) => sessionSubject(core, i.sessionId) },
  'playlists:export': { action: 'clip.export', subject: (core, i) => sessionSubject(core, i.sessionId) },
  'cases:delete': { action: 'case.delete', subject: (core, i) => caseSubject(core, i.id) },
  'sessions:delete': { action: 'session.delete', subject: (core, i) => sessionSubject(core, i.id) },
  'recordings:remove': {
    action: 'recording.remove',
    subject: (core, i) => {
      try {
        const r = core.library.getRecording(i.id);
        return `${sessionSubject(core, r.sessionId)}, recording ${r.fileName}`;
      } catch {
        return `recording #${i.id}`;
      }
    },
  },
};

/** The handler table with the audited channels wrapped. */
export function withAudit<T extends Partial<HandlerTable>>(core: Core, table: T): T {
  const out = { ...table } as Record<Channel, (i: unknown) => unknown>;
  for (const [channel, rule] of Object.entries(RULES) as [Channel, Rule<Channel>][]) {
    const inner = out[channel];
    if (!inner) continue;
    out[channel] = async (input: unknown) => {
      const i = input as ChannelParsed<Channel>;
      const subject = rule.subject(core, i);
      const value = await inner(input);
      const action = typeof rule.action === 'string' ? rule.action : rule.action(i, value);
      if (action) core.audit.record(action, subject, rule.detail?.(i) ?? {});
      return value;
    };
  }
  return out as unknown as T;
}
