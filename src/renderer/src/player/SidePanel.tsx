import { memo, useCallback, useEffect, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { formatTime } from '../../../shared/time';
import { ClipPanel, type ClipTarget } from '../clips/ClipPanel';
import { PlaylistBar } from '../clips/PlaylistBar';
import { usePlaylist } from '../clips/usePlaylist';
import { FeedbackPanel } from '../feedback/FeedbackPanel';
import type { usePlayerFeedback } from '../feedback/usePlayerFeedback';
import type { Rater, RuptureStatus, Segment, SessionAnnotations } from '../../../shared/annotations';
import type { Code, CodebookDefinition } from '../../../shared/codebook';
import type { Recording } from '../../../shared/domain';
import { GridPanel } from '../coding/GridPanel';
import { TalkSection } from '../talk/TalkSection';
import type { Playhead } from './playhead';
import type { TalkState } from '../talk/useTalk';
import type { ScrubStatus } from '../../../shared/domain';
import { SegmentList } from '../coding/SegmentList';
import { SelfReports } from '../self-reports/SelfReports';
import { SummaryPanel } from '../coding/SummaryPanel';
import { RecordingsPanel } from './RecordingsPanel';
import { TranscriptPanel } from '../interop/TranscriptPanel';
import type { useTranscript } from '../interop/useTranscript';
import type { SegmentKind } from '../../../shared/annotations';

type Tab = 'segments' | 'feedback' | 'transcript' | 'summary' | 'grid' | 'reports' | 'recordings';

/** The player's side panel: segments, summary, 3RS grid, self-reports and recordings, as tabs. */
export const SidePanel = memo(function SidePanel(props: {
  sessionId: number;
  rater: Rater | null;
  raters: Rater[];
  codes: Map<string, Code>;
  codebookDef: CodebookDefinition | undefined;
  /** The session's annotations, a frame behind the lanes (the summary reloads when it changes). */
  version: SessionAnnotations | null;
  recordings: Recording[];
  durationMs: number;
  primaryId: number | null;
  onPrimary: (id: number) => void;
  onRecordingsChanged: () => void;
  /** A supervision file was received in the Feedback tab: the session's lanes and recordings may have changed. */
  onSupervisionReceived: () => void;
  /** The list's inputs trail the lanes (deferred), so an edit shows on the timeline first. */
  listSegments: Segment[];
  listRaters: Rater[];
  listStatuses: Map<number, RuptureStatus>;
  selectedId: number | null;
  loopingId: number | null;
  onPick: (s: Segment) => void;
  onLoop: (s: Segment | null) => void;
  /** Opens the form of one of the rater's own segments (Enter on a list row). */
  onEdit?: (id: number) => void;
  onSeek: (ms: number) => void;
  /** Feedback, for supervisors, trainees and therapists (null for everyone else). */
  feedback: ReturnType<typeof usePlayerFeedback> | null;
  onPlaySequence: (queue: { from: number; to: number }[]) => void;
  transcript: ReturnType<typeof useTranscript>;
  /** A transcription stored new utterances: the transcript is read again. */
  onTranscribed: () => void;
  /** The playhead, for the transcript (which follows it). */
  playhead: Playhead;
  onMark: ((kind: SegmentKind, startMs: number, endMs: number) => void) | null;
  /** Who speaks when (summary: figures and lane names; grid: a line per segment). */
  talk: TalkState;
  caseId: number;
  scrub?: Map<number, ScrubStatus>;
}) {
  const {
    sessionId,
    rater,
    raters,
    codes,
    codebookDef,
    version,
    recordings,
    durationMs,
    primaryId,
    onPrimary,
    onRecordingsChanged,
  } = props;
  const { listSegments, listRaters, listStatuses, selectedId, loopingId, onPick, onLoop, onSeek } = props;
  const { feedback } = props;
  const [tab, setTab] = useState<Tab>('segments');
  const unread = feedback?.view?.unread ?? 0;
  const tabs = (
    [
      ['segments', 'Segments'],
      ...(feedback ? [['feedback', unread ? `Feedback (${unread} new)` : 'Feedback'] as const] : []),
      ['transcript', 'Transcript'],
      ['summary', 'Summary'],
      ['grid', '3RS grid'],
      ['reports', 'Self-reports'],
      ['recordings', 'Recordings'],
    ] as const
  ).map(([key, label]) => [key as Tab, label] as const);
  /** Tabs answer the arrow keys, Home and End (WAI-ARIA tabs: the focus moves and selects). */
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex(([key]) => key === tab);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    const key = tabs[next]![0];
    setTab(key);
    (e.currentTarget.querySelector(`[data-tab="${key}"]`) as HTMLElement | null)?.focus();
  };
  // C and N, or a marker on the feedback lane, bring the feedback tab forward.
  const request = feedback?.request ?? null;
  useEffect(() => {
    if (request) setTab('feedback');
  }, [request]);
  useEffect(() => {
    if (!feedback && tab === 'feedback') setTab('segments');
  }, [feedback, tab]);
  const [clip, setClip] = useState<ClipTarget | null>(null);
  const playlist = usePlaylist();
  const toggleInPlaylist = playlist.toggle;
  const onTogglePlaylist = useCallback(
    (s: Segment) => toggleInPlaylist({ kind: 'segment', id: s.id, startMs: s.startMs, endMs: s.endMs }),
    [toggleInPlaylist],
  );
  const onClip = useCallback(
    (s: Segment) =>
      setClip({
        kind: 'segment',
        segmentId: s.id,
        label: `${s.codes.join('+') || s.kind} at ${formatTime(s.startMs, false)}`,
      }),
    [],
  );
  return (
    <aside className="side-panel" aria-label="Session panel">
      <div className="tabs" role="tablist" aria-label="Panels" onKeyDown={onTabKey}>
        {tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            // One tab stop for the whole row (the chosen tab); the arrow keys move between tabs.
            tabIndex={tab === key ? 0 : -1}
            data-tab={key}
            className={tab === key ? 'on' : ''}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      {clip && (tab === 'segments' || tab === 'feedback') && (
        <ClipPanel key={JSON.stringify(clip)} sessionId={sessionId} target={clip} onClose={() => setClip(null)} />
      )}
      {(tab === 'segments' || tab === 'feedback') && (
        <PlaylistBar sessionId={sessionId} playlist={playlist} onPlaySequence={props.onPlaySequence} />
      )}
      {tab === 'segments' && version && (
        <SegmentList
          inPlaylist={playlist.has}
          onTogglePlaylist={onTogglePlaylist}
          onClip={onClip}
          segments={listSegments}
          raters={listRaters}
          codes={codes}
          statuses={listStatuses}
          selectedId={selectedId}
          loopingId={loopingId}
          onPick={onPick}
          onLoop={onLoop}
          onEdit={props.onEdit && rater ? (x) => x.raterId === rater.id && props.onEdit!(x.id) : undefined}
          talk={props.talk.talk?.activity ?? null}
        />
      )}
      {tab === 'feedback' && feedback && rater && (
        <FeedbackPanel
          me={rater}
          view={feedback.view}
          error={feedback.error}
          actions={feedback.actions}
          request={feedback.request}
          durationMs={durationMs}
          onSeek={onSeek}
          playlist={playlist}
          sessionId={sessionId}
          onSupervisionReceived={() => {
            feedback.reload();
            props.onSupervisionReceived();
          }}
          onClip={(t) =>
            setClip({ kind: 'thread', threadId: t.id, label: `the comment at ${formatTime(t.startMs, false)}` })
          }
        />
      )}
      {tab === 'transcript' && (
        <TranscriptPanel
          sessionId={sessionId}
          utterances={props.transcript.utterances}
          onTranscribed={props.onTranscribed}
          error={props.transcript.error}
          playhead={props.playhead}
          onSeek={onSeek}
          onMark={props.onMark}
        />
      )}
      {tab === 'summary' && (
        <SummaryPanel
          sessionId={sessionId}
          raterId={rater?.id ?? null}
          version={version}
          codes={codes}
          onSeek={onSeek}
        />
      )}
      {tab === 'summary' && <TalkSection state={props.talk} caseId={props.caseId} onSeek={onSeek} />}
      {tab === 'grid' &&
        (rater && codebookDef ? (
          <GridPanel
            sessionId={sessionId}
            raterId={rater.id}
            codebook={codebookDef}
            onSeek={onSeek}
            talk={props.talk.talk?.activity ?? null}
            durationMs={durationMs}
          />
        ) : (
          <p className="muted">Choose who is rating (top right) to fill in the 3RS grid.</p>
        ))}
      {tab === 'reports' && <SelfReports sessionId={sessionId} raters={raters} current={rater} />}
      {tab === 'recordings' && (
        <RecordingsPanel
          recordings={recordings}
          primaryId={primaryId}
          onPrimary={onPrimary}
          onChanged={onRecordingsChanged}
          scrub={props.scrub}
        />
      )}
    </aside>
  );
});
