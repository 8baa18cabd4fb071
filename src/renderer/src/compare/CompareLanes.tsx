import { memo } from 'react';
import type { Rater, Role, RuptureStatus, SegmentKind, SessionAnnotations } from '../../../shared/annotations';
import type { Code } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import { Lanes } from '../coding/Lanes';
import type { ViewWindow } from '../ui/view-window';
import { usePlayhead, type Playhead } from '../player/playhead';
import { Bands } from './Bands';

const atMs = (ms: number) => ms;
/** While playing, where the consensus came from is looked at again four times a second. */
const soon = (ms: number) => ms + 250;

const TITLE: Record<Role, string> = {
  observer: 'Observers',
  supervisor: 'Supervisor',
  trainee: 'Trainee',
  therapist: 'Therapist',
  patient: 'Patient',
};
const none = () => undefined;

/**
 * Every submitted rater's lanes grouped by perspective, disagreement bands behind them, and the
 * consensus lane under them, all on the player's time scale. A consensus segment says where it
 * came from.
 */
const HIDE_EMPTY: SegmentKind[] = ['comment'];

export const CompareLanes = memo(function CompareLanes(props: {
  data: SessionAnnotations;
  groups: { role: Role; raters: Rater[] }[];
  consensus: Rater | null;
  raters: Rater[];
  isSupervisor: boolean;
  codes: Map<string, Code>;
  statuses: Map<number, RuptureStatus>;
  view: ViewWindow;
  durationMs: number;
  bands: { start: number; end: number }[];
  picked: Set<number>;
  playhead: Playhead;
  editingId: number | null;
  onPick: (id: number) => void;
  onOpenConsensus: (id: number) => void;
  onMoveConsensus: (id: number, startMs: number, endMs: number) => void;
  onSeek: (ms: number) => void;
}) {
  const { data, groups, consensus, raters, isSupervisor, codes, statuses, view, durationMs, bands, picked } = props;
  const { playhead, editingId, onPick, onOpenConsensus, onMoveConsensus, onSeek } = props;
  const playheadMs = usePlayhead(playhead, atMs, soon);
  const names = new Map(raters.map((r) => [r.id, r.name]));
  const byId = new Map(data.segments.map((s) => [s.id, s]));
  // Where the consensus came from: for the segment being edited and those at the playhead.
  const shown = data.segments.filter(
    (s) => s.raterId === consensus?.id && (s.id === editingId || (s.startMs <= playheadMs && s.endMs >= playheadMs)),
  );
  return (
    <>
      <div className="bands-host">
        {groups.map((g) => (
          <div key={g.role} className="perspective-group" role="group" aria-label={`Perspective ${g.role}`}>
            <h2>{TITLE[g.role]}</h2>
            <Lanes
              segments={data.segments}
              raters={g.raters}
              currentRaterId={null}
              codes={codes}
              statuses={statuses}
              view={view}
              durationMs={durationMs}
              selectedId={null}
              selectedIds={picked}
              pending={null}
              playhead={playhead}
              onSelect={(id) => id !== null && onPick(id)}
              onOpen={none}
              onSeek={onSeek}
              onMove={none}
              onDrawn={none}
              // Comments are not compared: a rater without any has no comment lane here.
              hideEmpty={HIDE_EMPTY}
            />
          </div>
        ))}
        <Bands bands={bands} view={view} />
      </div>
      <div className="perspective-group consensus" role="group" aria-label="Consensus">
        <h2>Consensus</h2>
        {consensus ? (
          <Lanes
            segments={data.segments}
            raters={[consensus]}
            currentRaterId={isSupervisor ? consensus.id : null}
            codes={codes}
            statuses={statuses}
            view={view}
            durationMs={durationMs}
            selectedId={editingId}
            pending={null}
            playhead={playhead}
            onSelect={none}
            onOpen={onOpenConsensus}
            onSeek={onSeek}
            onMove={onMoveConsensus}
            onDrawn={none}
          />
        ) : (
          <p className="muted small">
            {isSupervisor
              ? 'Choose segments above (click, or X at the playhead), then accept or merge them (A).'
              : 'A supervisor builds the consensus lane.'}
          </p>
        )}
        {shown.map((s) => (
          <p key={s.id} className="small sources" role="note">
            Consensus {s.kind} {formatTime(s.startMs, false)}–{formatTime(s.endMs, false)} {s.codes.join('+')} comes
            from{' '}
            {s.sources.length
              ? s.sources
                  .map((src) => {
                    const seg = byId.get(src.segmentId);
                    return `${names.get(src.raterId) ?? 'a rater'}’s ${seg ? `${seg.codes.join('+') || seg.kind} at ${formatTime(seg.startMs, false)}` : 'segment (since changed)'}`;
                  })
                  .join(', ')
              : 'a supervisor’s own marking'}
            {s.sources[0]?.acceptedBy !== undefined &&
              `; accepted by ${names.get(s.sources[0].acceptedBy) ?? 'a supervisor'}`}
            .
          </p>
        ))}
      </div>
    </>
  );
});
