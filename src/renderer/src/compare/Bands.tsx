import { memo, useEffect, useState } from 'react';
import type { ViewWindow } from '../ui/view-window';

/** Where raters disagree, behind their lanes; follows the stretch in view. */
export const Bands = memo(function Bands(props: { bands: { start: number; end: number }[]; view: ViewWindow }) {
  const { bands, view } = props;
  const [win, setWin] = useState(view.get());
  useEffect(() => view.subscribe(setWin), [view]);
  const span = Math.max(1, win.end - win.start);
  return (
    <div className="bands" aria-hidden="true">
      {bands
        .filter((b) => b.end > win.start && b.start < win.end)
        .map((b) => (
          <div
            key={b.start}
            className="band"
            style={{ left: `${((b.start - win.start) / span) * 100}%`, width: `${((b.end - b.start) / span) * 100}%` }}
          />
        ))}
    </div>
  );
});
