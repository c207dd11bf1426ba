import type { Editor } from '@tiptap/react';
import { FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, Comment, Trace } from '../../api';
import { Comments, focusComment } from '../../components/Comments';
import { ErrorMessage } from '../../components/ErrorMessage';
import { IdentifierReview } from '../../components/IdentifierPanel';
import { EditorJson, RichEditor } from '../../components/RichEditor';
import { TextDiff } from '../../components/TextDiff';
import type { CommentAnchor } from '../../editor/comment-highlights';
import { blocksOf, diff } from '../../editor/text-diff';
import { COMPETENCE_LABELS, dateFr, FAMILLE_LABELS, KIND_LABELS, STATUS_LABELS } from '../../labels';
import { useRouter } from '../../router';
import { ImportedStamp } from '../../components/ImportedStamp';
import { OriginNote } from '../portfolio-transfers/OriginNote';

interface Revision {
  number: number;
  createdAt: string;
}

/** Reviewing a trace: read-only text, comments on a selected passage, request changes or validate. */
export default function ReviewPage({ id }: { id: string }) {
  const { navigate } = useRouter();
  const [trace, setTrace] = useState<Trace | null>(null);
  const [comments, setComments] = useState<Comment[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [selection, setSelection] = useState<{ from: number; to: number; quote: string } | null>(null);
  const [body, setBody] = useState('');
  const [decision, setDecision] = useState<'changes' | 'validate' | null>(null);
  const [decisionText, setDecisionText] = useState('');
  const [shown, setShown] = useState<{ id: string; times: number } | null>(null);
  const [located, setLocated] = useState<Set<string> | undefined>(undefined);
  const [sinceReview, setSinceReview] = useState<{ before: Revision; after: Revision; lines: ReturnType<typeof diff> } | null>(null);
  const editor = useRef<Editor | null>(null);

  const load = useCallback(async () => {
    try {
      setTrace(await api.get<Trace>(`/traces/${id}`));
      setComments(await api.get<Comment[]>(`/traces/${id}/comments`));
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  // Reviewed before: the version read last time against the one submitted now.
  useEffect(() => {
    let live = true;
    (async () => {
      const revisions = await api.get<Revision[]>(`/traces/${id}/revisions`);
      if (revisions.length < 2) return;
      const sorted = [...revisions].sort((a, b) => a.number - b.number);
      const [before, after] = await Promise.all(
        sorted.slice(-2).map((r) => api.get<Revision & { content: EditorJson }>(`/traces/${id}/revisions/${r.number}`)),
      );
      if (live) setSinceReview({ before, after, lines: diff(blocksOf(before.content), blocksOf(after.content)) });
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id]);
  const highlights = useMemo<CommentAnchor[]>(() => comments.filter((c) => !c.parentId && c.anchor).map((c) => ({ id: c.id, ...c.anchor! })), [comments]);

  const onReady = useCallback((e: Editor) => {
    editor.current = e;
    e.on('selectionUpdate', ({ editor: ed }) => {
      const { from, to } = ed.state.selection;
      const quote = ed.state.doc.textBetween(from, to, ' ').trim().slice(0, 2000);
      setSelection(to > from && quote ? { from, to, quote } : null);
    });
  }, []);

  const comment = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      await api.post(`/traces/${id}/comments`, { body: body.trim(), anchor: selection ?? undefined });
      setBody('');
      setSelection(null);
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const decide = async () => {
    try {
      if (decision === 'changes') await api.post(`/traces/${id}/request-changes`, { comment: decisionText.trim() });
      else await api.post(`/traces/${id}/validate`, decisionText.trim() ? { comment: decisionText.trim() } : {});
      navigate('/relectures');
    } catch (e) {
      setError(e);
    }
  };

  if (!trace) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  // A GEPT lead comments their group's write-ups; the decision is the tutor's.
  const asLead = trace.readAs === 'gept_lead';
  const reviewable = trace.status === 'submitted' && !asLead;
  return (
    <div className="editor-page">
      <div className="editor-main">
        <p className="meta">
          {KIND_LABELS[trace.kind]} · <span className={`badge ${trace.status}`}>{STATUS_LABELS[trace.status]}</span> · soumise le {dateFr(trace.submittedAt)}
          {trace.origin && ' · '}
          <OriginNote origin={trace.origin} validated={trace.status === 'validated'} />
        </p>
        <h1>{trace.title}</h1>
        <ImportedStamp from={trace.importedFrom} />
        <p className="meta">
          {trace.competences.map((c) => COMPETENCE_LABELS[c]).join(' · ')}
          <br />
          {trace.familles.map((f) => FAMILLE_LABELS[f]).join(' · ')}
        </p>
        <ErrorMessage error={error} />
        {sinceReview && (
          <section className="card since-review" aria-labelledby="since-review-title">
            <h2 id="since-review-title">Modifications depuis votre dernière relecture</h2>
            <p className="meta">
              Version {sinceReview.before.number} du {dateFr(sinceReview.before.createdAt)} → version {sinceReview.after.number} du {dateFr(sinceReview.after.createdAt)}
            </p>
            <TextDiff lines={sinceReview.lines} label={`Différences entre la version ${sinceReview.before.number} et la version ${sinceReview.after.number}`} />
          </section>
        )}
        <RichEditor
          content={trace.content as EditorJson}
          editable={false}
          label="Texte de la trace (lecture seule) : sélectionnez un passage pour le commenter"
          onReady={onReady}
          highlights={highlights}
          shown={shown}
          onLocated={setLocated}
          onHighlightClick={focusComment}
        />
        {asLead && (
          <p className="alert info">
            Vous lisez ce compte rendu en tant qu’animateur du groupe GEPT : vos commentaires s’affichent pour l’interne à côté de ceux de son tuteur, qui seul valide la trace ou demande des modifications.
          </p>
        )}
        {reviewable && (
          <section className="card" aria-labelledby="decision-title">
            <h2 id="decision-title">Votre retour</h2>
            {!decision && (
              <>
                <button type="button" onClick={() => setDecision('changes')}>
                  Demander des modifications
                </button>{' '}
                <button type="button" className="primary" onClick={() => setDecision('validate')}>
                  Valider la trace
                </button>
              </>
            )}
            {decision && (
              <div role="group" aria-labelledby="confirm-title">
                <p id="confirm-title">
                  <strong>{decision === 'changes' ? 'Demander des modifications à l’interne ?' : 'Valider cette trace ? Elle sera verrouillée.'}</strong>
                </p>
                <label htmlFor="decision-text">{decision === 'changes' ? 'Ce qu’il faut reprendre (obligatoire)' : 'Commentaire (facultatif)'}</label>
                <textarea id="decision-text" value={decisionText} onChange={(e) => setDecisionText(e.target.value)} rows={3} />
                <button type="button" className="primary" disabled={decision === 'changes' && !decisionText.trim()} onClick={() => void decide()}>
                  Confirmer
                </button>{' '}
                <button type="button" onClick={() => setDecision(null)}>
                  Annuler
                </button>
              </div>
            )}
          </section>
        )}
      </div>
      <aside className="editor-side" aria-label="Commentaires">
        <form className="card" onSubmit={comment} aria-labelledby="new-comment-title">
          <h2 id="new-comment-title">Commenter</h2>
          {selection ? (
            <blockquote className="quote">« {selection.quote} »</blockquote>
          ) : (
            <p className="meta">Sélectionnez un passage du texte pour y ancrer votre commentaire, ou commentez la trace entière.</p>
          )}
          <label htmlFor="comment-body">Commentaire</label>
          <textarea id="comment-body" value={body} onChange={(e) => setBody(e.target.value)} rows={3} />
          <button type="submit" className="primary">
            {selection ? 'Commenter ce passage' : 'Commenter'}
          </button>
        </form>
        <IdentifierReview traceId={id} />
        <Comments
          traceId={id}
          comments={comments}
          onChanged={() => void load()}
          canResolve
          located={located}
          onShow={(c) => setShown((previous) => ({ id: c.id, times: (previous?.times ?? 0) + 1 }))}
        />
      </aside>
    </div>
  );
}
