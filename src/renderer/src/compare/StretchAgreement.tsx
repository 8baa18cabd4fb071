import { memo, useEffect, useMemo, useState } from 'react';
import type { SessionAnnotations } from '../../../shared/annotations';
import { formatTime } from '../../../shared/time';
import type { ViewWindow } from '../ui/view-window';
import { stretchAgreement } from './bands';

/** Agreement on rupture presence over the stretch in view (the whole session's is in the table above). */
export const StretchAgreement = memo(function StretchAgreement(props: {
  data: SessionAnnotations;
  raters: { id: number; name: string }[];
  view: ViewWindow;
}) {
  const { data, raters, view } = props;
  const [win, setWin] = useState(view.get());
  useEffect(() => {
    // Panning moves the window every frame; the figures follow when it comes to rest, so a pan
    // does not recount every rater's units in each frame.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = view.subscribe((w) => {
      clearTimeout(timer);
      timer = setTimeout(() => setWin(w), 120);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [view]);
  const pairs = useMemo(() => stretchAgreement(data, raters, win.start, win.end), [data, raters, win.start, win.end]);
  if (raters.length < 2) return null;
  const f = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  return (
    <section aria-label="Agreement in view">
      <h2>
        In view{' '}
        <span className="muted small tabular">
          {formatTime(win.start, false)}–{formatTime(win.end, false)}
        </span>
      </h2>
      <table className="pairs small">
        <thead>
          <tr>
            <th scope="col">Raters</th>
            <th scope="col" title="Share of 1-second units where both say the same">
              agree
            </th>
            <th scope="col" title="Cohen's kappa over the 1-second units in view">
              κ
            </th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={p.raters.join('|')}>
              <th scope="row">{p.raters.join(' · ')}</th>
              <td className="tabular">{p.agreement === null ? '–' : `${Math.round(p.agreement * 100)} %`}</td>
              <td className="tabular">{f(p.kappa)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});
