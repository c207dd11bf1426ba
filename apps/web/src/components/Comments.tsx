import { FormEvent, useState } from 'react';
import { api, Comment } from '../api';
import { dateFr } from '../labels';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  traceId: string;
  comments: Comment[];
  onChanged: () => void;
  canResolve: boolean;
  /** Brings a comment's passage into view in the text. */
  onShow?: (comment: Comment) => void;
  /** The comments whose passage is found in the text shown (undefined: not known yet). */
  located?: Set<string>;
}

/** Brings a comment into view and gives it keyboard focus (after a click on its passage in the text). */
export function focusComment(id: string): void {
  const item = document.getElementById(`commentaire-${id}`);
  item?.scrollIntoView({ block: 'center' });
  item?.focus({ preventScroll: true });
}

/** The conversation on a trace: anchored passages keep their quote, replies nest, threads resolve. */
export function Comments({ traceId, comments, onChanged, canResolve, onShow, located }: Props) {
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
          <li key={c.id} id={`commentaire-${c.id}`} tabIndex={-1} className={`comment ${c.resolvedAt ? 'resolved' : ''}`}>
            <CommentBody comment={c} onShow={onShow} located={located} />
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

function CommentBody({ comment, onShow, located }: { comment: Comment; onShow?: (comment: Comment) => void; located?: Set<string> }) {
  const missing = Boolean(comment.anchor && located && !located.has(comment.id));
  return (
    <>
      <p className="meta">
        <strong>{comment.author.displayName}</strong> · {dateFr(comment.createdAt)}
        {comment.revision ? ` · version ${comment.revision}` : ''}
        {comment.resolvedAt ? ' · résolu' : ''}
      </p>
      {comment.anchor && (
        <blockquote className="quote">
          {onShow && !missing ? (
            <button type="button" className="quote-link" onClick={() => onShow(comment)}>
              « {comment.anchor.quote} »<span className="visually-hidden"> : voir ce passage dans le texte</span>
            </button>
          ) : (
            <>« {comment.anchor.quote} »</>
          )}
          {missing && <span className="meta"> (passage réécrit depuis)</span>}
        </blockquote>
      )}
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
