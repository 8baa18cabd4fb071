import { memo } from 'react';
import type { Rater, RatingState } from '../../../shared/annotations';
import type { SessionDetail } from '../../../shared/domain';
import { RaterPicker } from '../coding/RaterPicker';
import { RatingControls } from '../coding/RatingControls';
import type { Annotations } from '../coding/useAnnotations';

type Actions = Annotations['actions'];

/** The player's header: back, the session, who is rating and their rating, compare, privacy. */
export const PlayerHeader = memo(function PlayerHeader(props: {
  detail: SessionDetail;
  raters: Rater[];
  rater: Rater | null;
  /** The current rater's rating of this session. */
  rating: RatingState | undefined;
  actions: Actions;
  /** Whether identifiable video is on screen (the privacy note). */
  showsVideo: boolean;
  blurred: boolean;
  onBack: () => void;
  onBlur: () => void;
  onHelp: () => void;
  /** What the current rating still lacks, asked when Submit is pressed. */
  emptyParts?: () => Promise<string[]>;
}) {
  const { detail, raters, rater, rating, actions, showsVideo, blurred, onBack, onBlur, onHelp } = props;
  return (
    <header className="toolbar player-toolbar">
      <button type="button" onClick={onBack} aria-label="Back to the library">
        ← Library
      </button>
      <h1
        title={`${detail.case.code} · Session ${detail.session.number}${detail.session.date ? ` · ${detail.session.date}` : ''}`}
      >
        {detail.case.code} · Session {detail.session.number}
        {detail.session.date && <span className="muted"> · {detail.session.date}</span>}
      </h1>
      <span className="spacer" />
      <RaterPicker
        raters={raters}
        current={rater}
        onChoose={(id) => void actions.chooseRater(id)}
        onCreate={(n, r) => void actions.createRater(n, r)}
      />
      {rater && (
        <RatingControls
          rating={rating}
          onSubmit={() => void actions.submit()}
          onRevise={(reason) => void actions.revise(reason)}
          emptyParts={props.emptyParts}
        />
      )}
      <button
        type="button"
        onClick={() => (window.location.hash = `#/compare/${detail.session.id}`)}
        title="All submitted ratings on one timeline"
      >
        Compare
      </button>
      <button
        type="button"
        onClick={() => (window.location.hash = `#/report/${detail.session.id}`)}
        title="A report for the supervision meeting: timeline, ruptures, feedback, grid, self-reports"
      >
        Report
      </button>
      {showsVideo && !blurred && (
        <span
          className="privacy"
          role="note"
          title="Identifiable video on screen: blur it (B) before sharing the screen or taking a screenshot"
        >
          ● Identifiable video
        </span>
      )}
      <button type="button" aria-pressed={blurred} onClick={onBlur} title="B">
        {blurred ? 'Show video' : 'Blur video'}
      </button>
      <button type="button" aria-label="Keyboard shortcuts" onClick={onHelp} title="?">
        ?
      </button>
    </header>
  );
});
