import { ReactNode } from 'react';
import { Link, useRouter } from '../../router';
import { ImportSection } from './ImportSection';
import { PortfolioImportSection } from './PortfolioImportSection';
import { UniversitySignInSection } from './UniversitySignInSection';
import { TutorshipsSection } from './TutorshipsSection';
import { JurySessionsSection } from './JurySessionsSection';
import { UsersSection } from './UsersSection';
import { InvitationsSection } from './InvitationsSection';
import { UppSection } from './UppSection';
import { StagesSection } from './StagesSection';
import { RequirementsSection } from './RequirementsSection';
import { AuditSection } from './AuditSection';
import { GeptAdminSection } from '../gept/GeptAdminSection';
import { ThesisStepsSection } from '../thesis/ThesisStepsSection';
import { PortfolioTransfersSection } from '../portfolio-transfers/PortfolioTransfersSection';
import './admin.css';

/** The DUMG staff's pages: one per capability, reached from the sub-navigation. */
const SECTIONS: { slug: string; label: string; render: () => ReactNode }[] = [
  { slug: 'utilisateurs', label: 'Utilisateurs', render: () => <UsersSection /> },
  { slug: 'invitations', label: 'Invitations', render: () => <InvitationsSection /> },
  { slug: 'upp', label: 'UPP', render: () => <UppSection /> },
  { slug: 'connexion-universitaire', label: 'Connexion universitaire', render: () => <UniversitySignInSection /> },
  { slug: 'import', label: 'Import CSV', render: () => <ImportSection /> },
  { slug: 'import-portfolio', label: 'Importer un portfolio', render: () => <PortfolioImportSection /> },
  { slug: 'tutorats', label: 'Tutorats', render: () => <TutorshipsSection /> },
  { slug: 'stages', label: 'Stages', render: () => <StagesSection /> },
  { slug: 'exigences', label: 'Exigences', render: () => <RequirementsSection /> },
  { slug: 'jurys', label: 'Sessions de jury', render: () => <JurySessionsSection /> },
  { slug: 'transferts', label: 'Transferts de portfolio', render: () => <PortfolioTransfersSection /> },
  { slug: 'gept', label: 'Groupes GEPT', render: () => <GeptAdminSection /> },
  { slug: 'theses', label: 'Étapes de thèse', render: () => <ThesisStepsSection /> },
  { slug: 'journal', label: 'Journal d’audit', render: () => <AuditSection /> },
  { slug: 'files', label: 'Tâches en arrière-plan', render: () => <QueuesSection /> },
];

export function AdminPage() {
  const { path } = useRouter();
  const slug = path.split('/')[2] ?? SECTIONS[0].slug;
  const section = SECTIONS.find((s) => s.slug === slug) ?? SECTIONS[0];
  return (
    <>
      <h1>Administration du DUMG</h1>
      <nav aria-label="Administration" className="subnav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.slug}>
              <Link to={`/administration/${s.slug}`} aria-current={s === section ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {section.render()}
    </>
  );
}

function QueuesSection() {
  return (
    <section className="card" aria-labelledby="queues-title">
      <h2 id="queues-title">Tâches en arrière-plan</h2>
      <p>
        Envois de courriels, exports et relances : leur état, les échecs et leur relance.{' '}
        <a href="/api/admin/queue-board/">Ouvrir le tableau des files (en anglais)</a>
      </p>
    </section>
  );
}
