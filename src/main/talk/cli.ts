/**
 * `align SESSION_ID [--apply] [--json]`: each recording's offset against the main one, found by
 * its audio, with a confidence; `--apply` stores the offsets found.
 *
 * `talk SESSION_ID [--analyze] [--silence-ms N] [--name KEY=NAME]... [--json]`: who speaks when —
 * the speaker lanes, long silences, overlaps and the talk figures per 5 minutes; `--analyze`
 * computes the speech of recordings imported before it existed; `--name left=Therapist` names a
 * lane for every session of the case.
 */
import type { Core } from '../app';
import { AppError } from '../../shared/errors';
import { formatTime } from '../../shared/time';
import type { TalkWindow } from '../../shared/talk';
import { count } from '../../shared/words';
import { progressBar, type Command } from '../../cli/args';

export interface TalkCliOptions {
  apply?: boolean;
  analyze?: boolean;
  'silence-ms'?: string;
  name?: string[];
  json?: boolean;
}

interface Out {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  progress: (fraction: number, done?: boolean) => void;
}

function sessionIdOf(arg: string | undefined, usage: string): number {
  const id = Number(arg);
  if (!arg || !Number.isInteger(id) || id < 1) throw new AppError('INVALID_INPUT', `Use: alliance-review ${usage}.`);
  return id;
}

const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(3)} s`;

export async function alignCommand(core: Core, args: string[], values: TalkCliOptions, out: Out): Promise<number> {
  const sessionId = sessionIdOf(args[0], 'align SESSION_ID [--apply] [--json]');
  const result = await core.talk.align(sessionId, values.apply ?? false);
  if (values.json) {
    out.stdout(`${JSON.stringify(result, null, 2)}\n`);
  } else if (!result.main) {
    out.stdout('No recording of this session has audio, so nothing can be aligned by sound.\n');
  } else {
    out.stdout(`Main recording: ${result.main.fileName} (offset ${signed(result.main.offsetMs)})\n`);
    if (result.recordings.length === 0) out.stdout('It is the only recording of the session.\n');
    for (const r of result.recordings) {
      out.stdout(
        r.foundOffsetMs === null
          ? `${r.fileName}: ${r.message}\n`
          : `${r.fileName}: starts at ${signed(r.foundOffsetMs)} (offset ${r.foundOffsetMs} ms, confidence ${r.confidence.toFixed(2)}${r.refined ? '' : ', from the envelopes only'}; now ${r.currentOffsetMs} ms)\n`,
      );
    }
    if (result.applied) {
      const n = result.recordings.filter((r) => r.foundOffsetMs !== null).length;
      out.stdout(`Stored ${n} offset${n === 1 ? '' : 's'}.\n`);
    } else if (result.recordings.some((r) => r.foundOffsetMs !== null && r.foundOffsetMs !== r.currentOffsetMs)) {
      out.stdout('Nothing was changed; run again with --apply to store these offsets.\n');
    }
  }
  return 0;
}

export async function talkCommand(core: Core, args: string[], values: TalkCliOptions, out: Out): Promise<number> {
  const usage = 'talk SESSION_ID [--analyze] [--silence-ms N] [--name KEY=NAME]... [--json]';
  const sessionId = sessionIdOf(args[0], usage);
  const silenceArg = values['silence-ms'];
  const silenceMs = silenceArg === undefined ? undefined : Number(silenceArg);
  if (silenceMs !== undefined && !Number.isInteger(silenceMs))
    throw new AppError('INVALID_INPUT', `--silence-ms must be a whole number of milliseconds, not "${silenceArg}".`);
  const names = (values.name ?? []).map((n) => {
    const eq = n.indexOf('=');
    if (eq < 1) throw new AppError('INVALID_INPUT', `--name takes KEY=NAME (for example left=Therapist), not "${n}".`);
    return [n.slice(0, eq).trim(), n.slice(eq + 1)] as const;
  });
  // Check the silence length before anything is stored.
  let talk = core.talk.session(sessionId, silenceMs);
  if (names.length) {
    const caseId = core.library.getSession(sessionId).caseId;
    for (const [key, name] of names) core.talk.setSpeakerName(caseId, key, name);
  }
  if (values.analyze && talk.unanalysed.length) {
    talk = await core.talk.analyze(sessionId, (done, total) => out.progress(done / total));
    out.progress(1, true);
  } else if (names.length) talk = core.talk.session(sessionId, silenceMs);
  if (values.json) {
    out.stdout(`${JSON.stringify(talk, null, 2)}\n`);
    return 0;
  }
  if (talk.unanalysed.length)
    out.stderr(
      `Not analysed yet: ${talk.unanalysed.map((r) => r.fileName).join(', ')} (imported before speech analysis; run with --analyze).\n`,
    );
  if (!talk.activity || !talk.figures) {
    out.stdout('No speech analysis for this session yet.\n');
    return 0;
  }
  const a = talk.activity;
  const modes = {
    channels: 'one speaker per channel',
    files: 'one speaker per recorder',
    voice: 'speech against silence (one lane)',
  };
  out.stdout(`Lanes: ${a.lanes.map((l) => `${l.name} (${l.key})`).join(', ')} — ${modes[a.mode]}\n`);
  const row = (w: TalkWindow, label: string) => {
    const lanes = w.lanes
      .map(
        (l) =>
          `${l.name} ${formatTime(l.talkMs)}${l.share === null ? '' : ` (${Math.round(l.share * 100)} %)`}${l.turns === null ? '' : `, ${l.turns} turns, median ${formatTime(l.medianTurnMs ?? 0)}`}`,
      )
      .join('; ');
    out.stdout(
      `${label}: ${lanes}; longest silence ${formatTime(w.longestSilenceMs)}, ${count(w.silences, 'silence')} ≥ ${a.silenceMs / 1000} s, ${count(w.overlaps, 'overlap')} (${formatTime(w.overlapMs)})\n`,
    );
  };
  row(talk.figures.session, 'Session');
  for (const w of talk.figures.windows) row(w, `${formatTime(w.startMs)}–${formatTime(w.endMs)}`);
  return 0;
}

export const talkCommands: Command[] = [
  {
    name: 'align',
    help: [
      {
        group: 'Library and recordings',
        text: `  align SESSION_ID [--apply]            each recording's offset against the main one, found by its
      audio, with a confidence ("no match found" when they share no sound); --apply stores them`,
      },
    ],
    run: ({ core, args, values, io }) =>
      alignCommand(core, args, values, { ...io, progress: progressBar(io, 'align') }),
  },
  {
    name: 'talk',
    help: [
      {
        group: 'Library and recordings',
        text: `  talk SESSION_ID [--analyze] [--silence-ms 3000] [--name KEY=NAME]...
      who speaks when: speaker lanes, silences, overlaps, talk figures per 5 minutes; --analyze
      for recordings imported before speech analysis; --name left=Therapist names a lane per case`,
      },
    ],
    run: ({ core, args, values, io }) =>
      talkCommand(core, args, values, { ...io, progress: progressBar(io, 'speech') }),
  },
];
