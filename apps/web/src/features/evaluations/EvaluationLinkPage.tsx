import type { StageEvaluationLinkPageView } from '@carnet/contracts';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { dateFr } from '../../labels';
import { HeaderBrand } from '../auth/LoginPage';
import { EvaluationDraft, evaluationBody, EvaluationForm } from './EvaluationForm';
import './evaluations.css';

/** The link's token, from the address's fragment (never sent to the server with the page). */
const tokenOfLocation = () => new URLSearchParams(window.location.hash.replace(/^#/, '')).get('jeton') ?? '';

/**
 * The page a supervisor without an account (a hospital senior) opens from their mail, on their
 * phone: this intern, this stage, the form. Nothing else is reachable from here.
 */
export function EvaluationLinkPage() {
  const [token] = useState(tokenOfLocation);
  const [page, setPage] = useState<StageEvaluationLinkPageView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    api.post<StageEvaluationLinkPageView>('/stage-evaluation-link/view', { token }).then(setPage, setError);
  }, [token]);

  const submit = async (draft: EvaluationDraft) => {
    setError(null);
    setBusy(true);
    try {
      setPage(await api.post<StageEvaluationLinkPageView>('/stage-evaluation-link/submit', { token, ...evaluationBody(draft) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="top">
        <HeaderBrand />
      </header>
      <main id="contenu" className="evaluation-page">
        <h1>Évaluation de fin de stage</h1>
        {!token && <p className="alert error">Ce lien est incomplet : ouvrez-le depuis l’e-mail reçu.</p>}
        {!page?.evaluation && <ErrorMessage error={error} />}
        {page && (
          <>
            <p>
              Bonjour {page.evaluatorName}, le DUMG vous demande d’évaluer <strong>{page.internName}</strong>, interne en stage {page.stage.label}
              {page.stage.place ? ` (${page.stage.place})` : ''} du {dateFr(page.stage.startsOn)} au {dateFr(page.stage.endsOn)}.
            </p>
            {page.evaluation ? (
              <p className="alert success" role="status">
                Merci : votre évaluation de {page.internName} est transmise au DUMG. Ce lien a servi et ne s’ouvrira plus.
              </p>
            ) : (
              <>
                <p className="meta">Ce lien personnel ne sert qu’une fois, jusqu’au {dateFr(page.expiresAt)}. Une évaluation envoyée ne se modifie plus.</p>
                <EvaluationForm form={page.form} prefix="link-evaluation" error={error} busy={busy} onSubmit={(draft) => void submit(draft)} />
              </>
            )}
          </>
        )}
      </main>
    </>
  );
}
