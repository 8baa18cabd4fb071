import { api } from '../api';
import { InlineError } from '../ui/InlineError';
import type { Playlist } from './usePlaylist';
import { useClipJob } from './useClipJob';

/** The playlist's bar: play the chosen moments one after another, export them as one video, clear. */
export function PlaylistBar(props: {
  sessionId: number;
  playlist: Playlist;
  onPlaySequence: (queue: { from: number; to: number }[]) => void;
}) {
  const { sessionId, playlist, onPlaySequence } = props;
  const exporting = useClipJob();
  const { items } = playlist;
  if (!items.length) return null;
  return (
    <div className="fb-playlist" role="group" aria-label="Playlist">
      <span>
        Playlist: {items.length} moment{items.length === 1 ? '' : 's'}, in the order chosen
      </span>
      <div className="fb-actions">
        <button
          type="button"
          onClick={() =>
            onPlaySequence(
              items.map((t) => ({
                from: Math.max(0, t.startMs - 1000),
                to: Math.max(t.endMs, t.startMs + 1000) + 1000,
              })),
            )
          }
        >
          Play all
        </button>
        <button
          type="button"
          disabled={exporting.job !== null}
          onClick={() =>
            void exporting.start(() =>
              api.call('playlists:export', {
                sessionId,
                items: items.map((t) => (t.kind === 'segment' ? { segmentId: t.id } : { threadId: t.id })),
              }),
            )
          }
        >
          Export as one video
        </button>
        <button type="button" onClick={playlist.clear}>
          Clear
        </button>
        {exporting.job && (
          <>
            <progress max={1} value={exporting.job.fraction} aria-label={`Making ${exporting.job.fileName}`} />
            <button type="button" onClick={exporting.cancel}>
              Cancel
            </button>
          </>
        )}
      </div>
      {exporting.done && (
        <p className="small" role="status">
          {exporting.done}
        </p>
      )}
      <InlineError message={exporting.error} />
    </div>
  );
}
