import type { UserView } from '@carnet/contracts';
import { useEffect, useState } from 'react';
import { api, Page } from '../../api';

/** What the admin pages read about people: the API's shapes, named in French where shown. */
export type Role = 'intern' | 'tutor' | 'jury' | 'admin';

export const ROLE_LABELS: Record<Role, string> = {
  intern: 'Interne',
  tutor: 'Tuteur (MSU)',
  jury: 'Jury',
  admin: 'Administrateur',
};
export const ROLES = Object.keys(ROLE_LABELS) as Role[];

export type AdminUser = UserView;

export interface Upp {
  id: string;
  code: string;
  name: string;
}

/** An invitation just issued: `link` only when no SMTP is configured. */
export interface InvitationIssued {
  expiresAt: string;
  mailed: boolean;
  link?: string;
}

/** « de Claire », « d’Inès » : French elides before a vowel or a mute h. */
export const ofName = (name: string) => (/^[aeiouhàâäéèêëîïôöùûü]/i.test(name) ? `d’${name}` : `de ${name}`);

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
export const dateFr = (iso: string) => dateFormat.format(new Date(iso));

/** The value, once it has stopped changing for `ms`: a search as you type asks once per pause. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The UPP, for the filters and forms; `reload` after one is created. */
export function useUpps(): { upps: Upp[]; reload: () => void } {
  const [upps, setUpps] = useState<Upp[]>([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    void api
      .get<Page<Upp>>('/upps?pageSize=200')
      .then((page) => current && setUpps(page.items))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [version]);
  return { upps, reload: () => setVersion((v) => v + 1) };
}

/** What became of an invitation: mailed, or the link to hand over when this server sends no mail. */
export function InvitationNotice({ person, issued }: { person: string; issued: InvitationIssued }) {
  const [copied, setCopied] = useState(false);
  if (issued.mailed) {
    return (
      <p role="status" className="alert success">
        Invitation envoyée par courriel à {person} ; le lien est valable jusqu’au {dateFr(issued.expiresAt)}.
      </p>
    );
  }
  const copy = async () => {
    await navigator.clipboard?.writeText(issued.link ?? '').then(() => setCopied(true), () => undefined);
  };
  return (
    <div role="status" className="alert info invitation-link">
      <p>
        <strong>Le courriel n’est pas configuré sur ce serveur</strong> (pas de SMTP) : aucun message n’est parti. Remettez vous-même ce lien à {person}. Il ne
        sert qu’une fois et expire le {dateFr(issued.expiresAt)} ; un nouveau lien annule celui-ci.
      </p>
      <label htmlFor="invitation-link">Lien d’invitation {ofName(person)}</label>
      <div className="copy-row">
        <input id="invitation-link" readOnly value={issued.link ?? ''} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copié' : 'Copier le lien'}
        </button>
      </div>
    </div>
  );
}
