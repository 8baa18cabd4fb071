import { useEffect, useRef, useState } from 'react';
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { Role } from '../../../shared/annotations';
import type { CaseTimelineView, PerspectivesReportView } from '../../../shared/contract';
import { api, errorMessage } from '../api';
import { InlineError } from '../ui/InlineError';
import { count } from '../../../shared/words';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** Okabe–Ito per perspective, plus a point shape each, so colour is never the only cue. */
const STYLE: Record<
  Role,
  { color: string; point: 'circle' | 'rect' | 'triangle' | 'rectRot' | 'star'; dash: number[] }
> = {
  observer: { color: '#0072B2', point: 'circle', dash: [] },
  supervisor: { color: '#009E73', point: 'rect', dash: [] },
  trainee: { color: '#E69F00', point: 'triangle', dash: [] },
  therapist: { color: '#56B4E9', point: 'rectRot', dash: [6, 4] },
  patient: { color: '#CC79A7', point: 'star', dash: [6, 4] },
};
const ROLES_ORDER: Role[] = ['observer', 'supervisor', 'trainee', 'therapist', 'patient'];

function SmallChart(props: {
  title: string;
  labels: string[];
  series: { role: Role; data: (number | null)[] }[];
  yMax?: number;
  yLabel: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const css = getComputedStyle(document.documentElement);
    const text = css.getPropertyValue('--muted').trim() || '#666';
    const grid = css.getPropertyValue('--line').trim() || '#ddd';
    const config: ChartConfiguration<'line', (number | null)[], string> = {
      type: 'line',
      data: {
        labels: props.labels,
        datasets: props.series.map((s) => ({
          label: s.role,
          data: s.data,
          borderColor: STYLE[s.role].color,
          backgroundColor: STYLE[s.role].color,
          pointStyle: STYLE[s.role].point,
          pointRadius: 4,
          borderDash: STYLE[s.role].dash,
          spanGaps: true,
          tension: 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { color: text, usePointStyle: true, boxWidth: 8 } } },
        scales: {
          x: { ticks: { color: text }, grid: { color: grid } },
          y: {
            min: 0,
            ...(props.yMax ? { max: props.yMax } : {}),
            ticks: { color: text },
            grid: { color: grid },
            title: { display: true, text: props.yLabel, color: text },
          },
        },
      },
    };
    const chart = new Chart(canvas, config);
    return () => chart.destroy();
  }, [props.labels, props.series, props.yMax, props.yLabel]);
  return (
    <figure className="small-chart">
      <figcaption>{props.title}</figcaption>
      <div className="chart-box">
        <canvas ref={ref} role="img" aria-label={props.title} />
        {props.series.length === 0 && <p className="chart-empty muted small">No data for any perspective yet.</p>}
      </div>
    </figure>
  );
}

/**
 * A case over time as small multiples (ruptures, resolution, alliance, one line per
 * perspective), and the perspectives compared: rupture rates with McNemar and Cochran's Q.
 */
export function CaseView({ caseId, onBack }: { caseId: number; onBack: () => void }) {
  const [timeline, setTimeline] = useState<CaseTimelineView | null>(null);
  const [report, setReport] = useState<PerspectivesReportView | null>(null);
  const [scope, setScope] = useState<'case' | 'library'>('case');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('perspectives:case', { caseId }).then(setTimeline, (e: unknown) => setError(errorMessage(e)));
  }, [caseId]);
  useEffect(() => {
    if (!timeline) return;
    api
      .call('perspectives:report', scope === 'case' ? { caseCode: timeline.case } : {})
      .then(setReport, (e: unknown) => setError(errorMessage(e)));
  }, [timeline, scope]);
  if (!timeline) return <div className="library">{error && <InlineError message={error} />}</div>;

  const labels = timeline.sessions.map((s) => `S${s.number}`);
  const series = (pick: (s: CaseTimelineView['sessions'][number]) => Partial<Record<Role, number | null>>) =>
    ROLES_ORDER.map((role) => ({ role, data: timeline.sessions.map((s) => pick(s)[role] ?? null) })).filter((s) =>
      s.data.some((v) => v !== null),
    );
  const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));

  return (
    <div className="library case-view">
      <header className="toolbar">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ← Library
        </button>
        <h1>{timeline.case} · over time</h1>
        <span className="spacer" />
        <button type="button" onClick={() => (window.location.hash = `#/case-report/${caseId}`)}>
          Report
        </button>
      </header>
      <InlineError message={error} onDismiss={() => setError(null)} />
      {timeline.sessions.length === 0 ? (
        <p className="empty-line muted">No sessions yet.</p>
      ) : (
        <div className="multiples">
          <SmallChart
            title="Ruptures per session (self-reports: 1 = tension reported)"
            labels={labels}
            series={series((s) => s.ruptures)}
            yLabel="ruptures"
          />
          <SmallChart
            title="Resolution (share repaired; self-reports: how well resolved)"
            labels={labels}
            series={series((s) => s.resolution)}
            yMax={1}
            yLabel="0–1"
          />
          <SmallChart
            title="Alliance (WAI-SR mean, 1–5)"
            labels={labels}
            series={series((s) => s.alliance)}
            yMax={5}
            yLabel="mean"
          />
        </div>
      )}
      <section className="perspectives-table" aria-label="Perspectives compared">
        <div className="toolbar-inline">
          <h2>Sessions with a rupture, by perspective</h2>
          <select aria-label="Scope" value={scope} onChange={(e) => setScope(e.target.value as 'case' | 'library')}>
            <option value="case">this case</option>
            <option value="library">all cases (study)</option>
          </select>
        </div>
        {report && (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Perspective</th>
                  <th scope="col">Sessions with data</th>
                  <th scope="col">With a rupture</th>
                  <th scope="col">Share</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(report.perspectives)
                  .filter(([, r]) => r.sessions_with_data > 0)
                  .map(([p, r]) => (
                    <tr key={p}>
                      <th scope="row">{p}</th>
                      <td className="tabular">{r.sessions_with_data}</td>
                      <td className="tabular">{r.sessions_with_rupture}</td>
                      <td className="tabular">{r.rate === null ? '–' : `${Math.round(r.rate * 100)} %`}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
            <p className="small">
              Cochran&apos;s Q (patient, therapist, observer):{' '}
              {report.cochran_q.statistic === null
                ? (report.cochran_q.note ?? 'not enough sessions')
                : `Q = ${fmt(report.cochran_q.statistic)}, df ${report.cochran_q.df}, p = ${fmt(report.cochran_q.p, 3)}`}{' '}
              ({count(report.cochran_q.sessions, 'session')} with all three)
            </p>
            <ul className="small mcnemar">
              {report.mcnemar.map((m) => (
                <li key={m.perspectives.join()}>
                  McNemar {m.perspectives.join(' vs ')}:{' '}
                  {m.statistic === null ? m.note : `p = ${fmt(m.p, 3)}${m.exact ? ' (exact)' : ''}`} — {m.sessions}{' '}
                  sessions, {m.a_only} only {m.perspectives[0]}, {m.b_only} only {m.perspectives[1]}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
