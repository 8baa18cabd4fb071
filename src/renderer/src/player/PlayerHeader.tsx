import type { SessionDetail } from '../../../shared/domain';
import { RaterPicker } from '../coding/RaterPicker';
import { RatingControls } from '../coding/RatingControls';
import type { Annotations } from '../coding/useAnnotations';

/** The player's header: back, the session, who is rating and their rating, compare, privacy. */
export function PlayerHeader(props: {
  detail: SessionDetail;
  ann: Annotations;
  /** Whether identifiable video is on screen (the privacy note). */
  showsVideo: boolean;
  blurred: boolean;
  onBack: () => void;
  onBlur: () => void;
  onHelp: () => void;
}) {
  const { detail, ann, showsVideo, blurred, onBack, onBlur, onHelp } = props;
  return (
    <header className="toolbar">
      <button type="button" onClick={onBack} aria-label="Back to the library">
        ← Library
      </button>
      <h1>
        {detail.case.code} · Session {detail.session.number}
        {detail.session.date && <span className="muted"> · {detail.session.date}</span>}
      </h1>
      <span className="spacer" />
      <RaterPicker
        raters={ann.raters}
        current={ann.rater}
        onChoose={(id) => void ann.actions.chooseRater(id)}
        onCreate={(n, r) => void ann.actions.createRater(n, r)}
      />
      {ann.rater && (
        <RatingControls
          rating={ann.data?.ratings.find((r) => r.raterId === ann.rater?.id)}
          onSubmit={() => void ann.actions.submit()}
          onRevise={(reason) => void ann.actions.revise(reason)}
        />
      )}
      <button
        type="button"
        onClick={() => (window.location.hash = `#/compare/${detail.session.id}`)}
        title="All submitted ratings on one timeline"
      >
        Compare
      </button>
      {showsVideo && !blurred && (
        <span className="privacy" role="note">
          ● Identifiable video on screen
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
}
