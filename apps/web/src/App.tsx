import { lazy, ReactNode, Suspense, useEffect, useRef } from 'react';
import { Link, match, useRouter } from './router';
import { useSession } from './session';
import { HeaderBrand, LoginPage } from './features/auth/LoginPage';
import { SetPasswordPage } from './features/auth/SetPasswordPage';
import { UniversityLinkPage } from './features/auth/UniversityLinkPage';
import { TracesPage } from './features/traces/TracesPage';
import { ReviewInboxPage } from './features/review/ReviewInboxPage';
import { ProgressPage } from './features/progress/ProgressPage';
import { AdminPage } from './features/admin/AdminPage';
import { AdminEvaluationsPage } from './features/evaluations/AdminEvaluationsPage';
import { EvaluationLinkPage } from './features/evaluations/EvaluationLinkPage';
import { SupervisorEvaluationsPage } from './features/evaluations/SupervisorEvaluationsPage';
import { FacultyInHeader } from './features/faculties/FacultySwitcher';
import { OPERATOR_HOME, OperatorPage } from './features/faculties/OperatorPage';
import { DirectedThesesPage } from './features/thesis/DirectedThesesPage';
import { DirectorLinkPage } from './features/thesis/DirectorLinkPage';
import { ThesisPage } from './features/thesis/ThesisPage';
import { GeptGroupPage, GeptGroupsPage } from './features/gept/GeptPages';
import { ScanPage, TeachingSessionPage, TeachingSessionsPage } from './features/teaching/TeachingPages';

// The editor (tiptap, ProseMirror) loads only on the routes that need it.
const TraceEditorPage = lazy(() => import('./features/traces/TraceEditorPage'));
const ReviewPage = lazy(() => import('./features/review/ReviewPage'));
const JuryPage = lazy(() => import('./features/jury/JuryPage').then((module) => ({ default: module.JuryPage })));

function Routes(): ReactNode {
  const { path } = useRouter();
  const { me } = useSession();
  if (!me) return null;
  // The national operator sees faculties and their counts, never a faculty's pages.
  if (me.roles.includes('operator')) return <OperatorPage />;
  let params: Record<string, string> | null;
  if ((params = match('/traces/:id', path))) return <TraceEditorPage id={params.id} />;
  if ((params = match('/relectures/:id', path))) return <ReviewPage id={params.id} />;
  if (path === '/relectures') return <ReviewInboxPage />;
  if ((params = match('/progression/:internId', path))) return <ProgressPage internId={params.internId} />;
  if (path === '/progression') return <ProgressPage internId={me.id} />;
  if (path === '/jury') return <JuryPage />;
  if (path === '/evaluations-stage') return <SupervisorEvaluationsPage />;
  if (path === '/evaluations-dumg') return <AdminEvaluationsPage />;
  if (path === '/these') return <ThesisPage />;
  if ((params = match('/theses-dirigees/:internId', path))) return <DirectedThesesPage internId={params.internId} />;
  if (path === '/theses-dirigees') return <DirectedThesesPage />;
  if ((params = match('/gept/:id', path))) return <GeptGroupPage groupId={params.id} />;
  if (path === '/gept') return <GeptGroupsPage />;
  if ((params = match('/enseignements/:id', path))) return <TeachingSessionPage sessionId={params.id} />;
  if (path === '/enseignements') return <TeachingSessionsPage />;
  if ((params = match('/presence/:code', path))) return <ScanPage code={params.code} />;
  if (path === '/administration' || path.startsWith('/administration/')) return <AdminPage />;
  if (me.roles.includes('intern')) return <TracesPage />;
  if (me.roles.includes('tutor')) return <ReviewInboxPage />;
  if (me.roles.includes('jury')) return <JuryPage />;
  return <AdminPage />;
}

export function App() {
  const { me, signOut } = useSession();
  const { path } = useRouter();
  const main = useRef<HTMLElement>(null);
  // Moving to a new page moves keyboard focus to its content, as a page load would.
  useEffect(() => {
    main.current?.focus();
  }, [path]);

  if (path === '/mot-de-passe') return <SetPasswordPage />;
  if (path === '/liaison-universitaire') return <UniversityLinkPage />;
  if (path === '/evaluation-stage') return <EvaluationLinkPage />;
  if (path === '/direction-these') return <DirectorLinkPage />;
  if (me === undefined) return <p className="loading" role="status">Chargement…</p>;
  if (me === null) return <LoginPage />;

  const links: [string, string][] = [];
  if (me.roles.includes('intern')) links.push(['/', 'Mes traces'], ['/progression', 'Ma progression']);
  if (me.roles.includes('tutor')) links.push(['/relectures', 'Relectures']);
  if (me.roles.includes('tutor')) links.push(['/evaluations-stage', 'Évaluations de stage']);
  if (me.roles.includes('intern')) links.push(['/these', 'Ma thèse']);
  if (me.roles.includes('tutor')) links.push(['/theses-dirigees', 'Thèses dirigées']);
  if (me.roles.includes('intern') || me.roles.includes('tutor')) links.push(['/gept', 'GEPT']);
  if (!me.roles.includes('operator')) links.push(['/enseignements', 'Enseignements']);
  if (me.roles.includes('jury')) links.push(['/jury', 'Jury']);
  if (me.roles.includes('admin')) links.push(['/administration', 'Administration']);
  if (me.roles.includes('admin')) links.push(['/evaluations-dumg', 'Évaluations des stages']);
  if (me.roles.includes('operator')) links.push([OPERATOR_HOME, 'Facultés']);
  return (
    <>
      <a className="skip-link" href="#contenu">Aller au contenu</a>
      <header className="top">
        <HeaderBrand />
        <FacultyInHeader me={me} />
        <nav aria-label="Navigation principale">
          <ul>
            {links.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={path === to || (to !== '/' && path.startsWith(`${to}/`)) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{me.displayName}</span>
          <button type="button" className="link" onClick={() => void signOut()}>
            Se déconnecter
          </button>
        </div>
      </header>
      <main id="contenu" ref={main} tabIndex={-1}>
        <Suspense fallback={<p role="status">Chargement de l’éditeur…</p>}>
          <Routes />
        </Suspense>
      </main>
    </>
  );
}
