import { FormEvent, useState } from 'react';
import { api, Comment } from '../api';
import { dateFr } from '../labels';
import { ErrorMessage } from './ErrorMessage';

/** The conversation on a trace: anchored passages keep their quote, replies nest, threads resolve. */
export function Comments({ traceId, comments, onChanged, canResolve }: { traceId: string; comments: Comment[]; onChanged: () => void; canResolve: boolean }) {
  const roots = comments.filter((c) => !c.parentId);
  const [error, setError] = useState<unknown>(null);
  const reply = async (parentId: string, body: string) => {
    try {
      await api.post(`/traces/${traceId}/comments`, { body, parentId });
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Commentaires ({comments.length})</h2>
      <ErrorMessage error={error} />
      {roots.length === 0 && <p>Aucun commentaire pour l’instant.</p>}
      <ol>
        {roots.map((c) => (
          <li key={c.id} className={`comment ${c.resolvedAt ? 'resolved' : ''}`}>
            <CommentBody comment={c} />
            <ol>
              {comments
                .filter((r) => r.parentId === c.id)
                .map((r) => (
                  <li key={r.id} className="comment reply">
                    <CommentBody comment={r} />
                  </li>
                ))}
            </ol>
            <ReplyForm id={c.id} onReply={(body) => reply(c.id, body)} />
            {canResolve && !c.resolvedAt && (
              <button type="button" className="link" onClick={() => void api.post(`/comments/${c.id}/resolve`).then(onChanged, setError)}>
                Marquer comme résolu
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function CommentBody({ comment }: { comment: Comment }) {
  return (
    <>
      <p className="meta">
        <strong>{comment.author.displayName}</strong> · {dateFr(comment.createdAt)}
        {comment.revision ? ` · version ${comment.revision}` : ''}
        {comment.resolvedAt ? ' · résolu' : ''}
      </p>
      {comment.anchor && <blockquote className="quote">« {comment.anchor.quote} »</blockquote>}
      <p>{comment.body}</p>
    </>
  );
}

function ReplyForm({ id, onReply }: { id: string; onReply: (body: string) => Promise<void> }) {
  const [body, setBody] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    await onReply(body.trim());
    setBody('');
  };
  return (
    <form onSubmit={submit} className="reply-form">
      <label htmlFor={`reply-${id}`} className="visually-hidden">
        Répondre
      </label>
      <input id={`reply-${id}`} value={body} onChange={(e) => setBody(e.target.value)} placeholder="Répondre…" />
      <button type="submit">Répondre</button>
    </form>
  );
}
