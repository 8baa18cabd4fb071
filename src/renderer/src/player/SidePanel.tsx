import { useState } from 'react';
import type { Rater, RuptureStatus, Segment } from '../../../shared/annotations';
import type { Recording } from '../../../shared/domain';
import { GridPanel } from '../coding/GridPanel';
import { SegmentList } from '../coding/SegmentList';
import { SelfReports } from '../self-reports/SelfReports';
import { SummaryPanel } from '../coding/SummaryPanel';
import type { Annotations } from '../coding/useAnnotations';
import { RecordingsPanel } from './RecordingsPanel';

type Tab = 'segments' | 'summary' | 'grid' | 'reports' | 'recordings';

/** The player's side panel: segments, summary, 3RS grid, self-reports and recordings, as tabs. */
export function SidePanel(props: {
  sessionId: number;
  ann: Annotations;
  recordings: Recording[];
  primaryId: number | null;
  onPrimary: (id: number) => void;
  onRecordingsChanged: () => void;
  /** The list's inputs trail the lanes (deferred), so an edit shows on the timeline first. */
  listSegments: Segment[];
  listRaters: Rater[];
  listStatuses: Map<number, RuptureStatus>;
  selectedId: number | null;
  loopingId: number | null;
  onPick: (s: Segment) => void;
  onLoop: (s: Segment | null) => void;
  onSeek: (ms: number) => void;
}) {
  const { sessionId, ann, recordings, primaryId, onPrimary, onRecordingsChanged } = props;
  const { listSegments, listRaters, listStatuses, selectedId, loopingId, onPick, onLoop, onSeek } = props;
  const [tab, setTab] = useState<Tab>('segments');
  const codebookDef = ann.codebook?.definition;
  return (
    <aside className="side-panel" aria-label="Session panel">
      <div className="tabs" role="tablist" aria-label="Panels">
        {(
          [
            ['segments', 'Segments'],
            ['summary', 'Summary'],
            ['grid', '3RS grid'],
            ['reports', 'Self-reports'],
            ['recordings', 'Recordings'],
          ] as const
        ).map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? 'on' : ''}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'segments' && ann.data && (
        <SegmentList
          segments={listSegments}
          raters={listRaters}
          codes={ann.codes}
          statuses={listStatuses}
          selectedId={selectedId}
          loopingId={loopingId}
          onPick={onPick}
          onLoop={onLoop}
        />
      )}
      {tab === 'summary' && (
        <SummaryPanel
          sessionId={sessionId}
          raterId={ann.rater?.id ?? null}
          version={ann.data}
          codes={ann.codes}
          onSeek={onSeek}
        />
      )}
      {tab === 'grid' &&
        (ann.rater && codebookDef ? (
          <GridPanel sessionId={sessionId} raterId={ann.rater.id} codebook={codebookDef} onSeek={onSeek} />
        ) : (
          <p className="muted">Choose who is rating (top right) to fill in the 3RS grid.</p>
        ))}
      {tab === 'reports' && <SelfReports sessionId={sessionId} raters={ann.raters} current={ann.rater} />}
      {tab === 'recordings' && (
        <RecordingsPanel
          recordings={recordings}
          primaryId={primaryId}
          onPrimary={onPrimary}
          onChanged={onRecordingsChanged}
        />
      )}
    </aside>
  );
}
