import { useEffect, useMemo, useState } from 'react';
import type { TalkActivity } from '../../../shared/talk';
import { talkLine, windowsOf } from '../talk/TalkSection';
import type { Grid, GridCell } from '../../../shared/annotations';
import type { CodebookDefinition } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import { api, errorMessage } from '../api';
import { count } from '../../../shared/words';

const SIZES = [60_000, 120_000, 300_000, 600_000];

/**
 * The 3RS observer grid: the session cut into fixed segments; per segment, which markers and
 * strategies occurred and how significant the withdrawal and confrontation ruptures were; per
 * session, the therapist's contribution and the extent of resolution. Every change is stored.
 */
export function GridPanel(props: {
  sessionId: number;
  raterId: number;
  codebook: CodebookDefinition;
  onSeek: (ms: number) => void;
  /** Who speaks when, for a line of talk figures under each segment (null before analysis). */
  talk?: TalkActivity | null;
  durationMs?: number;
}) {
  const { sessionId, raterId, codebook, talk, durationMs = 0 } = props;
  const [grid, setGrid] = useState<Grid | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (p: Promise<Grid>) =>
    p.then(
      (g) => {
        setGrid(g);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  useEffect(() => {
    void run(api.call('grid:get', { sessionId, raterId }));
  }, [sessionId, raterId]);
  const size = grid?.segmentMs ?? 0;
  const talkWindows = useMemo(
    () => (talk && size > 0 ? windowsOf(talk, durationMs, size) : null),
    [talk, durationMs, size],
  );
  if (!grid) return error ? <p role="alert">{error}</p> : null;
  const groups = (['withdrawal', 'confrontation', 'repair'] as const).map((cat) =>
    codebook.codes.filter((c) => c.category === cat && !c.retired),
  );
  const setCell = (cell: GridCell, patch: Partial<GridCell>) =>
    run(
      api.call('grid:setCell', {
        sessionId,
        raterId,
        segmentMs: size,
        index: cell.index,
        codes: patch.codes ?? cell.codes,
        withdrawalSignificance:
          patch.withdrawalSignificance === undefined ? cell.withdrawalSignificance : patch.withdrawalSignificance,
        confrontationSignificance:
          patch.confrontationSignificance === undefined
            ? cell.confrontationSignificance
            : patch.confrontationSignificance,
      }),
    );
  const sig = (label: string, value: number | null, on: (v: number | null) => void) => (
    <select aria-label={label} value={value ?? ''} onChange={(e) => on(e.target.value ? Number(e.target.value) : null)}>
      <option value="">–</option>
      {[1, 2, 3, 4, 5].map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  );
  return (
    <div className="grid-panel" aria-label="3RS grid">
      <div className="filters">
        <label>
          Segments of{' '}
          <select
            aria-label="Grid segment length"
            value={size}
            onChange={(e) => void run(api.call('grid:get', { sessionId, raterId, segmentMs: Number(e.target.value) }))}
          >
            {SIZES.map((s) => (
              <option key={s} value={s}>
                {s / 60_000} min
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void run(api.call('grid:prefill', { sessionId, raterId, segmentMs: size }))}
          title="Tick the markers and strategies of your event segments in each window"
        >
          Pre-fill from my segments
        </button>
      </div>
      {error && (
        <p role="alert" className="inline-error">
          {error}
        </p>
      )}
      <p className="muted small">{count(grid.cells.length, 'segment')}</p>
      <ol className="grid-cells">
        {grid.cells.map((cell) => (
          <li key={cell.index} aria-label={`Grid segment ${cell.index + 1}`}>
            <div className="cell-head">
              <button type="button" className="link tabular" onClick={() => props.onSeek(cell.startMs)}>
                {cell.index + 1}. {formatTime(cell.startMs, false).slice(3)}–{formatTime(cell.endMs, false).slice(3)}
              </button>
              <label className="small">
                W sig{' '}
                {sig(
                  `Withdrawal significance, segment ${cell.index + 1}`,
                  cell.withdrawalSignificance,
                  (v) => void setCell(cell, { withdrawalSignificance: v }),
                )}
              </label>
              <label className="small">
                C sig{' '}
                {sig(
                  `Confrontation significance, segment ${cell.index + 1}`,
                  cell.confrontationSignificance,
                  (v) => void setCell(cell, { confrontationSignificance: v }),
                )}
              </label>
            </div>
            {talkWindows?.[cell.index] && <p className="small muted talk-line">{talkLine(talkWindows[cell.index]!)}</p>}
            {groups.map((codes, gi) => (
              <div className="toggles" key={gi}>
                {codes.map((c) => {
                  const on = cell.codes.includes(c.key);
                  return (
                    <button
                      type="button"
                      key={c.key}
                      className={`toggle${on ? ' on' : ''}`}
                      style={{ ['--seg' as string]: c.color }}
                      aria-pressed={on}
                      aria-label={`${c.key} ${c.label}, segment ${cell.index + 1}`}
                      title={`${c.key} ${c.label}: ${c.description}`}
                      onClick={() =>
                        void setCell(cell, {
                          codes: on ? cell.codes.filter((k) => k !== c.key) : [...cell.codes, c.key],
                        })
                      }
                    >
                      {c.key}
                    </button>
                  );
                })}
              </div>
            ))}
          </li>
        ))}
      </ol>
      <div className="session-ratings">
        <label>
          Therapist contribution to ruptures{' '}
          {sig(
            'Therapist contribution to ruptures',
            grid.therapistContribution,
            (v) =>
              void run(
                api.call('grid:setSession', {
                  sessionId,
                  raterId,
                  segmentMs: size,
                  therapistContribution: v,
                  resolutionExtent: grid.resolutionExtent,
                }),
              ),
          )}
        </label>
        <label>
          Extent of resolution{' '}
          {sig(
            'Extent of resolution',
            grid.resolutionExtent,
            (v) =>
              void run(
                api.call('grid:setSession', {
                  sessionId,
                  raterId,
                  segmentMs: size,
                  therapistContribution: grid.therapistContribution,
                  resolutionExtent: v,
                }),
              ),
          )}
        </label>
      </div>
    </div>
  );
}
