/**
 * A BORIS project (.boris, project format 7.0): BORIS opens it as a project and imports its
 * observations into another project ("Observations > Import observations"). One observation per
 * rater, the rater's name in the independent variable "rater"; the codebook's codes as the
 * ethogram (state events, category rupture or repair, with a "significance" modifier 1–5), and a
 * segment with several codes as one behaviour "W2;W5"; comments as a state event "comment" whose
 * START carries the note, so a comment keeps its span. BORIS pairs START and STOP per subject and
 * behaviour, so segments of one code that overlap go to further subjects ("track 2", …): each
 * comes back whole. Times are media times of player 1 (the recording that starts first); the
 * others carry their offset in media_info, as BORIS stores it.
 */
import type { Rater, Segment } from '../../shared/annotations';
import type { CodebookDefinition } from '../../shared/codebook';

export interface BorisInput {
  projectName: string;
  sessionLabel: string;
  date: string | null;
  recordings: {
    fileName: string;
    path: string;
    offsetMs: number;
    durationMs: number;
    hasVideo: boolean;
    hasAudio: boolean;
    fps?: number;
  }[];
  raters: Rater[];
  segments: Segment[];
  codebook: CodebookDefinition;
}

const round3 = (ms: number) => Math.round(ms) / 1000;

/** The behaviour a comment is written as, and the independent variable that names the rater. */
export const COMMENT = 'comment';
export const RATER_VARIABLE = 'rater';

export function writeBorisProject(input: BorisInput): string {
  const recs = [...input.recordings].sort((a, b) => a.offsetMs - b.offsetMs);
  const zero = recs[0]?.offsetMs ?? 0;
  const significance = { '0': { name: 'significance', type: 0, values: ['1', '2', '3', '4', '5'] } };
  const behaviors: Record<string, unknown> = {};
  const used = input.codebook.codes.filter((c) => c.category !== 'intervention');
  used.forEach((c, i) => {
    behaviors[String(i)] = {
      type: 'State event',
      key: '',
      code: c.key,
      description: c.label,
      category: c.category === 'repair' ? 'repair' : 'rupture',
      modifiers: significance,
      excluded: '',
      'coding map': '',
    };
  });
  // Segments with several codes: one behaviour each (its code the codes joined by ";").
  const combos = [
    ...new Set(input.segments.filter((x) => x.kind !== 'comment' && x.codes.length > 1).map((x) => x.codes.join(';'))),
  ].sort();
  const categoryOf = new Map(input.codebook.codes.map((c) => [c.key, c.category]));
  for (const combo of combos)
    behaviors[String(Object.keys(behaviors).length)] = {
      type: 'State event',
      key: '',
      code: combo,
      description: `Several codes at once (${combo.split(';').join(', ')})`,
      category: combo.split(';').some((k) => categoryOf.get(k) === 'repair') ? 'repair' : 'rupture',
      modifiers: significance,
      excluded: '',
      'coding map': '',
    };
  behaviors[String(Object.keys(behaviors).length)] = {
    type: 'State event',
    key: '',
    code: COMMENT,
    description: 'A rater’s comment over a stretch (the text is the START event’s comment)',
    category: 'comment',
    modifiers: {},
    excluded: '',
    'coding map': '',
  };
  const observations: Record<string, unknown> = {};
  const media = {
    length: Object.fromEntries(recs.map((r) => [r.path, r.durationMs / 1000])),
    fps: Object.fromEntries(recs.map((r) => [r.path, r.fps ?? 25])),
    hasVideo: Object.fromEntries(recs.map((r) => [r.path, r.hasVideo])),
    hasAudio: Object.fromEntries(recs.map((r) => [r.path, r.hasAudio])),
    offset: Object.fromEntries(recs.map((r, i) => [String(i + 1), round3(r.offsetMs - zero)])),
  };
  let tracks = 1;
  for (const rater of input.raters) {
    const segs = input.segments
      .filter((x) => x.raterId === rater.id)
      .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
    if (!segs.length) continue;
    // [time, subject, code, modifier, comment], and whether it stops (stops sort first at a tie).
    const events: { row: [number, string, string, string, string]; stop: boolean }[] = [];
    // Per behaviour, the end of each track's last span: a span goes to the first track that is free.
    const busy = new Map<string, number[]>();
    const trackFor = (code: string, startMs: number, endMs: number) => {
      const ends = busy.get(code) ?? [];
      busy.set(code, ends);
      let k = ends.findIndex((end) => end <= startMs);
      if (k < 0) k = ends.push(endMs) - 1;
      else ends[k] = endMs;
      tracks = Math.max(tracks, k + 1);
      return k === 0 ? '' : `track ${k + 1}`;
    };
    for (const x of segs) {
      const t0 = round3(x.startMs - zero);
      const t1 = round3(x.endMs - zero);
      const code = x.kind === 'comment' ? COMMENT : x.codes.join(';');
      if (!code) continue;
      const subject = trackFor(code, x.startMs, x.endMs);
      const mod = x.kind === 'comment' || x.rating === null ? '' : String(x.rating);
      events.push({ row: [t0, subject, code, mod, x.note], stop: false });
      events.push({ row: [t1, subject, code, mod, ''], stop: true });
    }
    // BORIS keeps events in time order; a stop sorts before a start at the same time.
    events.sort((a, b) => a.row[0] - b.row[0] || Number(b.stop) - Number(a.stop));
    observations[`${input.sessionLabel} – ${rater.name}`] = {
      date: `${input.date ?? new Date().toISOString().slice(0, 10)}T00:00:00`,
      description: `Ratings by ${rater.name} (${rater.role}), exported from Alliance Review`,
      type: 'MEDIA',
      file: Object.fromEntries(recs.map((r, i) => [String(i + 1), [r.path]])),
      'time offset': 0.0,
      events: events.map((e) => e.row),
      independent_variables: { [RATER_VARIABLE]: rater.name },
      visualize_spectrogram: false,
      close_behaviors_between_videos: false,
      media_info: media,
    };
  }
  const project = {
    time_format: 'hh:mm:ss',
    project_name: input.projectName,
    project_date: new Date().toISOString().slice(0, 19),
    project_description: `Exported from Alliance Review (codebook "${input.codebook.name}").`,
    project_format_version: '7.0',
    // Further tracks for overlapping spans of one code (BORIS pairs START/STOP per subject).
    subjects_conf: Object.fromEntries(
      Array.from({ length: tracks - 1 }, (_, i) => [
        String(i),
        { key: '', name: `track ${i + 2}`, description: 'Spans of a code that overlap another of the same code' },
      ]),
    ),
    behaviors_conf: behaviors,
    behavioral_categories: ['rupture', 'repair', 'comment'],
    coding_map: {},
    behaviors_coding_map: [],
    independent_variables: {
      '0': {
        label: RATER_VARIABLE,
        description: 'Who rated this observation (Alliance Review)',
        type: 'text',
        'default value': '',
        'possible values': '',
      },
    },
    converters: {},
    observations,
  };
  return `${JSON.stringify(project, null, 1)}\n`;
}
