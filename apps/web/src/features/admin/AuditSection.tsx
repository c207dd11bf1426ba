import { useState } from 'react';
import { api, Page } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { UserPicker, UserRow } from './UserPicker';
import './organisation.css';
import { dateTimeFr } from '../../labels';
import { Pager } from '../../components/Pager';
import { useLatest } from '../../components/useLatest';

interface AuditEntry {
  id: number;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Every action the API and the worker write to the log, in French. */
export const AUDIT_ACTIONS: Record<string, string> = {
  'admin.first_admin_created': 'Premier administrateur créé',
  'assessment.created': 'Évaluation enregistrée',
  'assessment.amended': 'Évaluation modifiée',
  'attachment.uploaded': 'Pièce jointe déposée',
  'attachment.downloaded': 'Pièce jointe téléchargée',
  'auth.login': 'Connexion',
  'auth.login_failed': 'Connexion refusée',
  'auth.login_throttled': 'Connexions freinées',
  'auth.logout': 'Déconnexion',
  'auth.invitation_accepted': 'Invitation acceptée',
  'auth.password_reset': 'Mot de passe réinitialisé',
  'auth.password_reset_requested': 'Réinitialisation demandée',
  'auth.password_reset_throttled': 'Réinitialisations freinées',
  'auth.login_refused_university_only': 'Mot de passe refusé (connexion universitaire exigée)',
  'auth.university_login': 'Connexion universitaire',
  'auth.university_login_failed': 'Connexion universitaire refusée',
  'auth.identity_link_proposed': 'Liaison universitaire proposée',
  'auth.identity_linked': 'Compte universitaire lié',
  'auth.identity_link_refused': 'Liaison universitaire refusée',
  'auth.university_logout': 'Déconnexion par l’université',
  'admin.university_sign_in_updated': 'Connexion universitaire paramétrée',
  'attachment.scan_seen': 'Alerte de pièce jointe vue par l’interne',
  'comment.created': 'Commentaire écrit',
  'comment.resolved': 'Commentaire résolu',
  'export.requested': 'Export demandé',
  'export.build': 'Export produit',
  'export.nothing': 'Export sans contenu',
  'export.downloaded': 'Export téléchargé',
  'jury.session_created': 'Session de jury créée',
  'jury.session_updated': 'Session de jury modifiée',
  'jury.session_closed': 'Session de jury close',
  'jury.portfolio_read': 'Portfolio lu par le jury',
  'jury.decision': 'Décision du jury',
  'portfolio.read': 'Portfolio lu',
  'privacy.data_exported': 'Données personnelles exportées',
  'queue.board_action': 'Action sur les files',
  'requirements.updated': 'Exigences modifiées',
  'retention.purged': 'Purge de conservation',
  'stage.created': 'Stage créé',
  'stage.supervisors_changed': 'Encadrement modifié',
  'stage.phase': 'Phase de supervision',
  'stage.difficulty_reported': 'Difficulté signalée',
  'stage.difficulties_read': 'Difficultés consultées',
  'structure.upp_created': 'UPP créée',
  'trace.created': 'Trace créée',
  'trace.deleted': 'Trace supprimée',
  'trace.read': 'Trace lue',
  'trace.revision_read': 'Version de trace lue',
  'trace.submitted': 'Trace soumise',
  'trace.identifier_replaced': 'Identifiant patient remplacé par l’interne',
  'trace.changes_requested': 'Reprise demandée',
  'trace.validated': 'Trace validée',
  'tutorship.started': 'Tutorat commencé',
  'tutorship.ended': 'Tutorat terminé',
  'user.created': 'Utilisateur créé',
  'user.imported': 'Utilisateurs importés',
  'user.invited': 'Invitation envoyée',
  'user.updated': 'Utilisateur modifié',
  'user.roles_changed': 'Rôles modifiés',
  'user.preferences': 'Préférences modifiées',
  'user.anonymised': 'Utilisateur anonymisé',
};

const SUBJECTS: Record<string, string> = {
  tutorship: 'Tutorat',
  stage: 'Stage',
  jury_session: 'Session de jury',
  phase: 'Phase',
  portfolio: 'Portfolio',
  trace: 'Trace',
  user: 'Utilisateur',
  export: 'Export',
  upp: 'UPP',
};

const PAGE_SIZE = 25;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00`) + 86400_000).toISOString();
const DETAIL_KEYS: Record<string, string> = {
  reason: 'motif',
  tutorId: 'tuteur',
  internId: 'interne',
  promotion: 'promotion',
  kind: 'type',
  version: 'version',
  changed: 'modifié',
  scheduled: 'prévue',
  opensAt: 'ouverture',
  closesAt: 'fermeture',
  members: 'membres',
  interns: 'internes',
  sessionId: 'session',
  decision: 'décision',
  phase: 'phase',
  from: 'à partir du',
  supervisors: 'MSU',
  count: 'nombre',
  title: 'intitulé',
  memberIds: 'membres',
  internIds: 'internes',
};
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;
const detailValue = (value: unknown): string => {
  if (Array.isArray(value)) return value.map((v) => DETAIL_KEYS[String(v)] ?? detailValue(v)).join(', ');
  if (value && typeof value === 'object') return detailsText(value as Record<string, unknown>, ', ');
  const text = String(value);
  if (ISO_INSTANT.test(text)) return dateTimeFr(text);
  if (UUID.test(text)) return text.slice(0, 8);
  return text;
};
/** An entry's details for a reader: French keys, French dates, ids shortened. */
const detailsText = (details: Record<string, unknown>, separator = ' ; '): string =>
  Object.entries(details ?? {})
    .map(([k, v]) => `${DETAIL_KEYS[k] ?? k} : ${detailValue(v)}`)
    .join(separator);

/** The audit log, newest first, by action, actor and day. */
export function AuditSection() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState<UserRow | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);

  const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (action) query.set('action', action);
  if (actor) query.set('actorId', actor.id);
  // The days are the browser's: from the first one's midnight to the end of the last one.
  if (from) query.set('from', new Date(`${from}T00:00:00`).toISOString());
  if (to) query.set('to', nextDay(to));
  const { data: list, error } = useLatest<Page<AuditEntry>>(`/admin/audit?${query}`);

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Journal d’audit</h2>
      <p className="meta">Chaque action sensible, qui l’a faite et quand. Le journal ne se modifie pas.</p>
      <div className="org-grid">
        <div>
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(e) => (setAction(e.target.value), setPage(1))}>
            <option value="">Toutes les actions</option>
            {Object.entries(AUDIT_ACTIONS)
              .sort(([, a], [, b]) => a.localeCompare(b, 'fr'))
              .map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
          </select>
        </div>
        <UserPicker id="audit-actor" label="Auteur de l’action" onPick={(u) => (setActor(u), setPage(1))} hint="Videz le champ pour voir tous les auteurs." />
        <div>
          <label htmlFor="audit-from">Depuis le</label>
          <input id="audit-from" type="date" value={from} onChange={(e) => (setFrom(e.target.value), setPage(1))} />
        </div>
        <div>
          <label htmlFor="audit-to">Jusqu’au (inclus)</label>
          <input id="audit-to" type="date" value={to} onChange={(e) => (setTo(e.target.value), setPage(1))} />
        </div>
      </div>
      <ErrorMessage error={error} />
      {list && (
        <>
          <table className="org-table">
            <caption>Entrées : {list.total}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Action</th>
                <th scope="col">Auteur</th>
                <th scope="col">Objet</th>
                <th scope="col">Détails</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{dateTimeFr(e.occurredAt)}</td>
                  <td>{AUDIT_ACTIONS[e.action] ?? e.action}</td>
                  <td>{e.actorName ?? (e.actorId ? 'Utilisateur supprimé' : 'Système')}</td>
                  <td>{e.subjectType ? `${SUBJECTS[e.subjectType] ?? e.subjectType}${e.subjectId ? ` ${e.subjectId.slice(0, 8)}` : ''}` : '—'}</td>
                  <td className="meta">{detailsText(e.details)}</td>
                </tr>
              ))}
              {!list.items.length && (
                <tr>
                  <td colSpan={5}>Aucune entrée pour ces critères.</td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager label="journal d’audit" page={page} pageSize={PAGE_SIZE} total={list.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
