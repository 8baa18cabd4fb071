/**
 * A BORIS project (.boris, project format 7.0): BORIS opens it as a project and imports its
 * observations into another project ("Observations > Import observations"). One observation per
 * rater; the codebook's codes as the ethogram (state events, category rupture or repair, with a
 * "significance" modifier 1–5); comments as point events with the note as the event's comment.
 * Times are media times of player 1 (the recording that starts first); the others carry their
 * offset in media_info, as BORIS stores it.
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
  behaviors[String(used.length)] = {
    type: 'Point event',
    key: '',
    code: 'comment',
    description: 'A rater’s comment (the text is the event’s comment)',
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
  for (const rater of input.raters) {
    const segs = input.segments.filter((s) => s.raterId === rater.id);
    if (!segs.length) continue;
    const events: [number, string, string, string, string][] = [];
    for (const s of segs) {
      const t0 = round3(s.startMs - zero);
      const t1 = round3(s.endMs - zero);
      if (s.kind === 'comment') {
        events.push([t0, '', 'comment', '', s.note]);
        continue;
      }
      for (const code of s.codes) {
        const mod = s.rating === null ? '' : String(s.rating);
        events.push([t0, '', code, mod, s.note]);
        events.push([t1, '', code, mod, '']);
      }
    }
    // BORIS keeps events in time order; a stop sorts before a start at the same time.
    events.sort((a, b) => a[0] - b[0]);
    observations[`${input.sessionLabel} – ${rater.name}`] = {
      date: `${input.date ?? new Date().toISOString().slice(0, 10)}T00:00:00`,
      description: `Ratings by ${rater.name} (${rater.role}), exported from Alliance Review`,
      type: 'MEDIA',
      file: Object.fromEntries(recs.map((r, i) => [String(i + 1), [r.path]])),
      'time offset': 0.0,
      events,
      independent_variables: {},
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
    subjects_conf: {},
    behaviors_conf: behaviors,
    behavioral_categories: ['rupture', 'repair', 'comment'],
    coding_map: {},
    behaviors_coding_map: [],
    independent_variables: {},
    converters: {},
    observations,
  };
  return `${JSON.stringify(project, null, 1)}\n`;
}
