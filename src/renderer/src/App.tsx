import { lazy, Suspense, useEffect, useState } from 'react';
import { CodebookEditor } from './codebook/CodebookEditor';
import { CompareView } from './compare/CompareView';
import { LibraryView } from './library/LibraryView';
import { PlayerView } from './player/PlayerView';
import { ReportView } from './report/ReportView';
import { StudyView } from './study/StudyView';
import { PackagesView } from './packages/PackagesView';
import { AuditView } from './audit/AuditView';

// The charts (and their library) load only when a case overview is opened.
const CaseView = lazy(() => import('./case/CaseView').then((m) => ({ default: m.CaseView })));

type Route =
  | { name: 'library' }
  | { name: 'codebook' }
  | { name: 'study' }
  | { name: 'packages' }
  | { name: 'audit' }
  | { name: 'session'; id: number }
  | { name: 'compare'; id: number }
  | { name: 'case'; id: number }
  | { name: 'report'; id: number }
  | { name: 'caseReport'; id: number };

function parseRoute(hash: string): Route {
  if (hash === '#/codebook') return { name: 'codebook' };
  if (hash === '#/study') return { name: 'study' };
  if (hash === '#/packages') return { name: 'packages' };
  if (hash === '#/audit') return { name: 'audit' };
  const k = /^#\/case\/(\d+)$/.exec(hash);
  if (k) return { name: 'case', id: Number(k[1]) };
  const cr = /^#\/case-report\/(\d+)$/.exec(hash);
  if (cr) return { name: 'caseReport', id: Number(cr[1]) };
  const r = /^#\/report\/(\d+)$/.exec(hash);
  if (r) return { name: 'report', id: Number(r[1]) };
  const c = /^#\/compare\/(\d+)$/.exec(hash);
  if (c) return { name: 'compare', id: Number(c[1]) };
  const m = /^#\/session\/(\d+)$/.exec(hash);
  return m ? { name: 'session', id: Number(m[1]) } : { name: 'library' };
}

/** Hash routes keep the token in the query string untouched and survive reloads. */
export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  if (route.name === 'session') {
    return <PlayerView key={route.id} sessionId={route.id} onBack={() => (window.location.hash = '#/')} />;
  }
  if (route.name === 'case') {
    return (
      <Suspense fallback={<div className="library" aria-busy="true" />}>
        <CaseView key={route.id} caseId={route.id} onBack={() => (window.location.hash = '#/')} />
      </Suspense>
    );
  }
  if (route.name === 'compare') {
    return (
      <CompareView
        key={route.id}
        sessionId={route.id}
        onBack={() => (window.location.hash = `#/session/${route.id}`)}
      />
    );
  }
  if (route.name === 'report')
    return (
      <ReportView
        key={route.id}
        of={{ sessionId: route.id }}
        onBack={() => (window.location.hash = `#/session/${route.id}`)}
      />
    );
  if (route.name === 'caseReport')
    return (
      <ReportView
        key={`case-${route.id}`}
        of={{ caseId: route.id }}
        onBack={() => (window.location.hash = `#/case/${route.id}`)}
      />
    );
  if (route.name === 'codebook') return <CodebookEditor onBack={() => (window.location.hash = '#/')} />;
  if (route.name === 'study') return <StudyView onBack={() => (window.location.hash = '#/')} />;
  if (route.name === 'packages') return <PackagesView onBack={() => (window.location.hash = '#/')} />;
  if (route.name === 'audit') return <AuditView onBack={() => (window.location.hash = '#/')} />;
  return <LibraryView onOpen={(id) => (window.location.hash = `#/session/${id}`)} />;
}
