/**
 * Who speaks when: speaker lanes on the session's clock from each recording's speech frames, the
 * long silences and the overlapping talk between them, and the talk figures per window and per
 * session. Pure functions, shared by the main process (export, report, CLI) and the renderer.
 *
 * Frames: one byte per channel per 20 ms (`packFrame`): bit 7 is the voice activity detector's
 * verdict, bits 0–6 the channel's level in dBFS + 100 (0 = −100 dB or silent, 100 = full scale).
 *
 * Which audio the lanes come from (the first rule that applies):
 * 1. **channels**: a stereo recording whose two channels carry different speakers (one lavalier
 *    microphone per channel): one lane per channel, `left` and `right`. The channels count as
 *    different speakers when, in at least half of the frames where either channel hears a voice,
 *    their levels differ by 6 dB or more (a duplicated mono track never does).
 * 2. **files**: two or more audio-only recordings (a recorder per speaker): one lane per file,
 *    `file1`, `file2`, … in import order.
 * 3. **voice**: otherwise speech against silence in the main recording: one lane, `voice`.
 *
 * A lane is active in a frame when the detector hears a voice, the level is at least 9 dB over the
 * lane's noise floor (its 10th-percentile level), and, with several lanes, no other lane is more
 * than 6 dB louder (a voice picked up by the other speaker's microphone is that speaker's, not
 * this one's). Gaps under 200 ms are closed and stretches under 100 ms dropped.
 */

export const FRAME_MS = 20;
/** Long silences are marked from this length by default (a choice the user can change). */
export const DEFAULT_SILENCE_MS = 3000;
/** The windows the talk figures are given for, matching the 3RS grid's segments. */
export const TALK_WINDOW_MS = 5 * 60_000;

const FLOOR_MARGIN_DB = 9;
const DOMINANCE_DB = 6;
const SPEAKERS_DIFFER_DB = 6;
const CLOSE_GAP_FRAMES = 10; // 200 ms
const MIN_STRETCH_FRAMES = 5; // 100 ms
const MIN_OVERLAP_MS = 100;

export function packFrame(voiced: boolean, db: number): number {
  const level = Math.max(0, Math.min(100, Math.round(db + 100)));
  return (voiced ? 0x80 : 0) | level;
}
export const frameVoiced = (b: number): boolean => (b & 0x80) !== 0;
export const frameDb = (b: number): number => (b & 0x7f) - 100;

export type TalkMode = 'channels' | 'files' | 'voice';
export type Span = [startMs: number, endMs: number];

/** One recording's speech frames, as stored. */
export interface SpeechSource {
  recordingId: number;
  fileName: string;
  /** Where the recording starts on the session's clock. */
  offsetMs: number;
  hasVideo: boolean;
  /** One array per channel (one or two), a byte per 20 ms frame. */
  channels: Uint8Array[];
}

export interface TalkLane {
  key: string;
  /** The case's name for the lane (therapist, patient), or a default such as "Left channel". */
  name: string;
  recordingId: number;
  /** 0 = left, 1 = right; null for a whole file or the mixed voice lane. */
  channel: number | null;
  /** Speech stretches on the session's clock, in order. */
  stretches: Span[];
}

export interface TalkActivity {
  mode: TalkMode;
  lanes: TalkLane[];
  /** Stretches with no lane active, at least `silenceMs` long. */
  silences: Span[];
  /** Stretches where two or more lanes are active at once (channels and files modes). */
  overlaps: Span[];
  silenceMs: number;
}

export const DEFAULT_LANE_NAMES: Record<string, string> = {
  left: 'Left channel',
  right: 'Right channel',
  voice: 'Speech',
};

export function defaultLaneName(key: string): string {
  return DEFAULT_LANE_NAMES[key] ?? (/^file(\d+)$/.test(key) ? `Recorder ${key.slice(4)}` : key);
}

interface LaneFrames {
  key: string;
  recordingId: number;
  channel: number | null;
  /** Frames on the session's clock: index k is session time k × 20 ms. */
  startFrame: number;
  frames: Uint8Array[];
}

/** Whether a stereo recording's channels carry different speakers (see the module note). */
export function channelsDiffer(left: Uint8Array, right: Uint8Array): boolean {
  const n = Math.min(left.length, right.length);
  let voiced = 0;
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const l = left[i]!;
    const r = right[i]!;
    if (!frameVoiced(l) && !frameVoiced(r)) continue;
    voiced++;
    if (Math.abs(frameDb(l) - frameDb(r)) >= SPEAKERS_DIFFER_DB) differ++;
  }
  return voiced >= 50 && differ / voiced >= 0.5;
}

function chooseLanes(sources: SpeechSource[]): { mode: TalkMode; lanes: LaneFrames[] } | null {
  const withFrames = sources.filter((s) => s.channels.length > 0 && s.channels[0]!.length > 0);
  if (withFrames.length === 0) return null;
  const startOf = (s: SpeechSource) => Math.round(s.offsetMs / FRAME_MS);
  for (const s of withFrames) {
    if (s.channels.length === 2 && channelsDiffer(s.channels[0]!, s.channels[1]!)) {
      return {
        mode: 'channels',
        lanes: ['left', 'right'].map((key, c) => ({
          key,
          recordingId: s.recordingId,
          channel: c,
          startFrame: startOf(s),
          frames: [s.channels[c]!],
        })),
      };
    }
  }
  const audioOnly = withFrames.filter((s) => !s.hasVideo);
  if (audioOnly.length >= 2) {
    return {
      mode: 'files',
      lanes: audioOnly.map((s, i) => ({
        key: `file${i + 1}`,
        recordingId: s.recordingId,
        channel: null,
        startFrame: startOf(s),
        frames: s.channels,
      })),
    };
  }
  const main = withFrames[0]!;
  return {
    mode: 'voice',
    lanes: [
      { key: 'voice', recordingId: main.recordingId, channel: null, startFrame: startOf(main), frames: main.channels },
    ],
  };
}

/** The 10th-percentile level of a lane's frames (its noise floor), in dB. */
function noiseFloor(frames: Uint8Array[]): number {
  const histogram = new Uint32Array(101);
  let total = 0;
  for (const ch of frames) {
    for (let i = 0; i < ch.length; i++) histogram[ch[i]! & 0x7f]!++;
    total += ch.length;
  }
  const target = total * 0.1;
  let seen = 0;
  for (let level = 0; level <= 100; level++) {
    seen += histogram[level]!;
    if (seen >= target) return level - 100;
  }
  return -100;
}

/**
 * The speaker lanes of a session with their stretches, the long silences and the overlaps.
 * `durationMs` is the session's length; `names` the case's lane names by key.
 */
export function speakerActivity(
  sources: SpeechSource[],
  durationMs: number,
  names: Record<string, string> = {},
  silenceMs = DEFAULT_SILENCE_MS,
): TalkActivity | null {
  const chosen = chooseLanes(sources);
  if (!chosen) return null;
  const total = Math.max(0, Math.ceil(durationMs / FRAME_MS));
  const lanes = chosen.lanes;
  // Level (dB) and voice verdict of each lane on the session's frame grid; -Infinity where the
  // lane's recording does not cover the frame.
  const levels = lanes.map(() => new Float32Array(total).fill(-Infinity));
  const voiced = lanes.map(() => new Uint8Array(total));
  const covered = new Uint8Array(total);
  lanes.forEach((lane, li) => {
    const length = Math.max(...lane.frames.map((f) => f.length));
    for (let j = 0; j < length; j++) {
      const k = lane.startFrame + j;
      if (k < 0 || k >= total) continue;
      let db = -Infinity;
      let v = false;
      for (const ch of lane.frames) {
        if (j >= ch.length) continue;
        const b = ch[j]!;
        db = Math.max(db, frameDb(b));
        if (frameVoiced(b)) v = true;
      }
      levels[li]![k] = db;
      voiced[li]![k] = v ? 1 : 0;
      covered[k] = 1;
    }
  });
  const floors = lanes.map((l) => noiseFloor(l.frames));
  const active = lanes.map(() => new Uint8Array(total));
  for (let k = 0; k < total; k++) {
    for (let li = 0; li < lanes.length; li++) {
      const db = levels[li]![k]!;
      if (!voiced[li]![k] || db < floors[li]! + FLOOR_MARGIN_DB) continue;
      let louder = false;
      for (let o = 0; o < lanes.length && !louder; o++) {
        if (o !== li && levels[o]![k]! > db + DOMINANCE_DB) louder = true;
      }
      if (!louder) active[li]![k] = 1;
    }
  }
  active.forEach(smooth);
  const talkLanes: TalkLane[] = lanes.map((lane, li) => ({
    key: lane.key,
    name: names[lane.key]?.trim() || defaultLaneName(lane.key),
    recordingId: lane.recordingId,
    channel: lane.channel,
    stretches: runs(active[li]!, (v) => v === 1),
  }));
  const anyActive = new Uint8Array(total);
  const overlapping = new Uint8Array(total);
  for (let k = 0; k < total; k++) {
    let n = 0;
    for (const a of active) n += a[k]!;
    anyActive[k] = n > 0 ? 1 : 0;
    overlapping[k] = n > 1 ? 1 : 0;
  }
  const silent = new Uint8Array(total);
  for (let k = 0; k < total; k++) silent[k] = covered[k] && !anyActive[k] ? 1 : 0;
  return {
    mode: chosen.mode,
    lanes: talkLanes,
    silences: runs(silent, (v) => v === 1).filter(([a, b]) => b - a >= silenceMs),
    overlaps: runs(overlapping, (v) => v === 1).filter(([a, b]) => b - a >= MIN_OVERLAP_MS),
    silenceMs,
  };
}

/** Closes short gaps, then drops short stretches (in place). */
function smooth(active: Uint8Array): void {
  const n = active.length;
  let lastOn = -1;
  for (let k = 0; k < n; k++) {
    if (!active[k]) continue;
    if (lastOn >= 0 && k - lastOn - 1 > 0 && k - lastOn - 1 < CLOSE_GAP_FRAMES) active.fill(1, lastOn + 1, k);
    lastOn = k;
  }
  let start = -1;
  for (let k = 0; k <= n; k++) {
    const on = k < n && active[k] === 1;
    if (on && start < 0) start = k;
    if (!on && start >= 0) {
      if (k - start < MIN_STRETCH_FRAMES) active.fill(0, start, k);
      start = -1;
    }
  }
}

function runs(values: Uint8Array, test: (v: number) => boolean): Span[] {
  const out: Span[] = [];
  let start = -1;
  for (let k = 0; k <= values.length; k++) {
    const on = k < values.length && test(values[k]!);
    if (on && start < 0) start = k;
    if (!on && start >= 0) {
      out.push([start * FRAME_MS, k * FRAME_MS]);
      start = -1;
    }
  }
  return out;
}

export interface LaneTalk {
  key: string;
  name: string;
  talkMs: number;
  /** This lane's part of all the talk in the window (0–1); null when nobody spoke. */
  share: number | null;
  /** Turns begun in the window (a turn: one speaker's stretches until another speaker speaks); null in voice mode. */
  turns: number | null;
  medianTurnMs: number | null;
}

export interface TalkWindow {
  startMs: number;
  endMs: number;
  lanes: LaneTalk[];
  longestSilenceMs: number;
  /** Silences of at least the chosen length that begin in the window. */
  silences: number;
  overlaps: number;
  overlapMs: number;
}

export interface TalkFigures {
  mode: TalkMode;
  silenceMs: number;
  windowMs: number;
  session: TalkWindow;
  windows: TalkWindow[];
}

/** A speaker's turns: consecutive stretches (in time order) of the same lane, across all lanes. */
export function turnsOf(lanes: TalkLane[]): { key: string; start: number; end: number }[] {
  const all = lanes.flatMap((l) => l.stretches.map(([s, e]) => ({ key: l.key, s, e })));
  all.sort((a, b) => a.s - b.s || a.e - b.e);
  const turns: { key: string; start: number; end: number }[] = [];
  for (const x of all) {
    const last = turns[turns.length - 1];
    if (last && last.key === x.key) last.end = Math.max(last.end, x.e);
    else turns.push({ key: x.key, start: x.s, end: x.e });
  }
  return turns;
}

function clipped(spans: Span[], a: number, b: number): number {
  let sum = 0;
  for (const [s, e] of spans) sum += Math.max(0, Math.min(e, b) - Math.max(s, a));
  return sum;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : Math.round((v[m - 1]! + v[m]!) / 2);
}

/** The longest stretch in [a, b) covered by no lane's speech (and by the recordings). */
function longestGap(activity: TalkActivity, a: number, b: number, coveredEnd: number): number {
  const speech = activity.lanes.flatMap((l) => l.stretches).sort((x, y) => x[0] - y[0]);
  let longest = 0;
  let cursor = a;
  const end = Math.min(b, coveredEnd);
  for (const [s, e] of speech) {
    if (e <= cursor) continue;
    if (s >= end) break;
    longest = Math.max(longest, Math.max(0, s - cursor));
    cursor = Math.max(cursor, e);
  }
  return Math.max(longest, end - cursor, 0);
}

/** Talk figures per window (5 minutes by default, as the 3RS grid) and for the whole session. */
export function talkFigures(activity: TalkActivity, durationMs: number, windowMs = TALK_WINDOW_MS): TalkFigures {
  const turns = activity.mode === 'voice' ? null : turnsOf(activity.lanes);
  const coveredEnd = durationMs;
  const windowOf = (a: number, b: number): TalkWindow => {
    const talk = activity.lanes.map((l) => clipped(l.stretches, a, b));
    const all = talk.reduce((x, y) => x + y, 0);
    const overlapsHere = activity.overlaps.filter(([s]) => s >= a && s < b);
    return {
      startMs: a,
      endMs: b,
      lanes: activity.lanes.map((l, i) => {
        const mine = turns?.filter((t) => t.key === l.key && t.start >= a && t.start < b) ?? null;
        return {
          key: l.key,
          name: l.name,
          talkMs: talk[i]!,
          share: all > 0 ? Math.round((talk[i]! / all) * 1000) / 1000 : null,
          turns: mine ? mine.length : null,
          medianTurnMs: mine ? median(mine.map((t) => t.end - t.start)) : null,
        };
      }),
      longestSilenceMs: longestGap(activity, a, b, coveredEnd),
      silences: activity.silences.filter(([s]) => s >= a && s < b).length,
      overlaps: overlapsHere.length,
      overlapMs: clipped(activity.overlaps, a, b),
    };
  };
  const windows: TalkWindow[] = [];
  for (let a = 0; a < durationMs; a += windowMs) windows.push(windowOf(a, Math.min(durationMs, a + windowMs)));
  return {
    mode: activity.mode,
    silenceMs: activity.silenceMs,
    windowMs,
    session: windowOf(0, durationMs),
    windows,
  };
}

/** The next (dir 1) or previous (dir -1) span start from a time, for the navigation keys. */
export function nextSpan(spans: Span[], fromMs: number, dir: 1 | -1): Span | null {
  if (dir === 1) return spans.find(([s]) => s > fromMs + 1) ?? null;
  for (let i = spans.length - 1; i >= 0; i--) if (spans[i]![0] < fromMs - 1) return spans[i]!;
  return null;
}

export interface SessionTalk {
  sessionId: number;
  durationMs: number;
  /** Null when no recording of the session has speech frames yet. */
  activity: TalkActivity | null;
  figures: TalkFigures | null;
  /** Recordings with audio whose speech has not been analysed (imported before it existed). */
  unanalysed: { id: number; fileName: string }[];
}

export interface RecordingAlignment {
  recordingId: number;
  fileName: string;
  /** The offset it has now, and the one alignment found (null: none found or no audio). */
  currentOffsetMs: number;
  foundOffsetMs: number | null;
  confidence: number;
  correlation: number;
  refined: boolean;
  message: string | null;
}

export interface SessionAlignment {
  sessionId: number;
  main: { recordingId: number; fileName: string; offsetMs: number } | null;
  recordings: RecordingAlignment[];
  applied: boolean;
}
