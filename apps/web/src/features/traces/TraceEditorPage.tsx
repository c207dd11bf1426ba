import type { Editor } from '@tiptap/react';
import { DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, Comment, request, Trace, Warning } from '../../api';
import { AttachmentWarnings } from '../../components/AttachmentWarnings';
import { Comments } from '../../components/Comments';
import { FileInput } from '../../components/FileInput';
import { IdentifierPanel } from '../../components/IdentifierPanel';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SubmitDialog } from '../../components/SubmitDialog';
import { EditorJson, replaceContent, RichEditor } from '../../components/RichEditor';
import { TagPicker } from '../../components/TagPicker';
import { TextDiff } from '../../components/TextDiff';
import type { CommentAnchor } from '../../editor/comment-highlights';
import { blocksOf, diff } from '../../editor/text-diff';
import { Draft, SAVE_STATE_LABELS, useAutosave } from './useAutosave';
import { COMPETENCE_LABELS, dateFr, FAMILLE_LABELS, KIND_LABELS, sizeFr, STATUS_LABELS } from '../../labels';
import { useSession } from '../../session';
import { ImportedStamp } from '../../components/ImportedStamp';
import { OriginNote } from '../portfolio-transfers/OriginNote';

/** The browser's back-online event, for the autosave's retry. */
const onOnline = (listener: () => void) => {
  window.addEventListener('online', listener);
  return () => window.removeEventListener('online', listener);
};

/** Writing a trace: autosave with If-Match, local copy across reloads and network cuts, conflict choice. */
export default function TraceEditorPage({ id }: { id: string }) {
  const { me } = useSession();
  const [trace, setTrace] = useState<Trace | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The submit confirmation, open with the scan's warnings (empty: none found). */
  const [confirming, setConfirming] = useState<Warning[] | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [shown, setShown] = useState<{ id: string; times: number } | null>(null);
  const [located, setLocated] = useState<Set<string> | undefined>(undefined);
  const [comments, setComments] = useState<Comment[]>([]);
  const [revisions, setRevisions] = useState<{ number: number; createdAt: string; sha256: string }[]>([]);
  const [upload, setUpload] = useState<{ name: string; percent: number } | null>(null);
  const [familleOptions, setFamilleOptions] = useState<Record<string, string>>(FAMILLE_LABELS);
  const editorRef = useRef<Editor | null>(null);
  const [editorReady, setEditorReady] = useState<Editor | null>(null);
  const autosave = useAutosave(id, {
    send: async (ifMatch, body) =>
      // The answer need not carry back the content just sent (RFC 7240).
      (await request<Trace>('PATCH', `/traces/${id}`, { body, headers: { 'If-Match': ifMatch, Prefer: 'return=minimal' } })).body,
    store: localStorage,
    onOnline,
    // The minimal answer has neither the content nor the attachments: keep what the page holds.
    onSaved: (saved) => setTrace((previous) => (previous ? { ...previous, ...saved } : saved)),
    onError: setError,
  });
  const { draft, status: saveState } = autosave.state;
  const { loaded: autosaveLoaded, save } = autosave;

  const owner = trace?.internId === me?.id;
  const editable = Boolean(owner && trace && (trace.status === 'draft' || trace.status === 'changes_requested'));

  const loadSide = useCallback(async () => {
    const [c, r] = await Promise.all([
      api.get<Comment[]>(`/traces/${id}/comments`).catch(() => []),
      api.get<{ number: number; createdAt: string; sha256: string }[]>(`/traces/${id}/revisions`).catch(() => []),
    ]);
    setComments(c);
    setRevisions(r);
  }, [id]);

  const load = useCallback(
    async (discardLocal = false) => {
      try {
        const loaded = await api.get<Trace>(`/traces/${id}`);
        setTrace(loaded);
        const server: Draft = { version: loaded.version, title: loaded.title ?? '', content: loaded.content as EditorJson, competences: loaded.competences, familles: loaded.familles };
        const editableNow = loaded.internId === me?.id && (loaded.status === 'draft' || loaded.status === 'changes_requested');
        const { draft: shownDraft, restored } = autosaveLoaded(server, { editable: editableNow, discardLocal });
        if (restored) setNotice('Vos modifications non enregistrées ont été restaurées depuis cet appareil.');
        if (editorRef.current) replaceContent(editorRef.current, (restored ? shownDraft : server).content);
        await loadSide();
      } catch (e) {
        setError(e);
      }
    },
    [id, loadSide, me?.id, autosaveLoaded],
  );
  useEffect(() => {
    void load();
  }, [load]);
  // The department may use a twelfth famille: the server says which ones exist.
  useEffect(() => {
    api.get<{ familles: Record<string, string> }>('/traces/referential').then((r) => setFamilleOptions(r.familles), () => undefined);
  }, []);

  const change = autosave.edit;

  /** Keep mine: save my version on top of the one saved elsewhere. */
  const overwrite = async () => {
    const latest = await api.get<Trace>(`/traces/${id}`);
    await autosave.keepMine({ version: latest.version, content: latest.content as EditorJson });
  };

  const tutorName = me?.tutors?.[0]?.displayName ?? null;
  /** Saves what is pending, scans for patient identifiers, then asks before submitting. */
  const askToSubmit = async () => {
    setError(null);
    try {
      if (saveState !== 'saved') await save();
      const check = await api.post<{ warnings: Warning[] }>(`/traces/${id}/check`);
      setConfirming(check.warnings);
    } catch (e) {
      setError(e);
    }
  };
  const submit = async () => {
    setSubmitting(true);
    try {
      await api.post(`/traces/${id}/submit`);
      setConfirming(null);
      setNotice(tutorName ? `Trace soumise à ${tutorName}.` : 'Trace soumise.');
      await load(true);
    } catch (e) {
      setConfirming(null);
      setError(e);
    } finally {
      setSubmitting(false);
    }
  };
  // The passages the tutor commented, highlighted in the text.
  const highlights = useMemo<CommentAnchor[]>(
    () => comments.filter((c) => !c.parentId && c.anchor).map((c) => ({ id: c.id, ...c.anchor! })),
    [comments],
  );
  // The tutor's « Ce qu'il faut reprendre »: the comment request-changes wrote on the last submitted version.
  const rework = useMemo(() => {
    if (trace?.status !== 'changes_requested') return null;
    const latest = Math.max(0, ...revisions.map((r) => r.number));
    const candidates = comments.filter((c) => !c.parentId && !c.anchor && c.author.id !== trace.internId && (!latest || c.revision === latest));
    return candidates.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
  }, [comments, revisions, trace]);

  const uploadFile = (file: File) => {
    const form = new FormData();
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/traces/${id}/attachments`);
    const csrf = me?.csrfToken;
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (event) => event.lengthComputable && setUpload({ name: file.name, percent: Math.round((event.loaded / event.total) * 100) });
    xhr.onload = () => {
      setUpload(null);
      if (xhr.status === 201) void load();
      else {
        try {
          const problem = JSON.parse(xhr.responseText);
          setError(new ApiError({ status: xhr.status, title: problem.title, detail: problem.detail, errors: problem.errors }));
        } catch {
          setError(new Error('Envoi refusé.'));
        }
      }
    };
    xhr.onerror = () => {
      setUpload(null);
      setError(new Error('Envoi interrompu : vérifiez votre connexion.'));
    };
    setUpload({ name: file.name, percent: 0 });
    xhr.send(form);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) uploadFile(file);
  };

  if (!trace || !draft) return error ? <ErrorMessage error={error} /> : <p role="status">Chargement…</p>;
  return (
    <div className="editor-page">
      <div className="editor-main">
        {rework && (
          <section className="rework-banner" aria-labelledby="rework-title">
            <h2 id="rework-title">Ce qu’il faut reprendre</h2>
            <p className="rework-body">{rework.body}</p>
            <p className="meta">
              {rework.author.displayName}, le {dateFr(rework.createdAt)}
            </p>
          </section>
        )}
        <p className="meta">
          {KIND_LABELS[trace.kind]} · <span className={`badge ${trace.status}`}>{STATUS_LABELS[trace.status]}</span>
          {trace.validatedAt && ` · validée le ${dateFr(trace.validatedAt)}`}
          {trace.origin && ' · '}
          <OriginNote origin={trace.origin} validated={trace.status === 'validated'} />
        </p>
        <ImportedStamp from={trace.importedFrom} />
        {editable && (
          <p className={`save-state ${saveState}`} role="status" aria-live="polite">
            {SAVE_STATE_LABELS[saveState]}
          </p>
        )}
        {saveState === 'conflict' && (
          <div className="alert warning" role="alert">
            <p>
              <strong>Cette trace a été enregistrée ailleurs</strong> (un autre onglet ou un autre appareil) pendant que vous écriviez.
            </p>
            <button type="button" onClick={() => void load(true)}>
              Recharger la version enregistrée
            </button>{' '}
            <button type="button" className="primary" onClick={() => void overwrite()}>
              Garder mes modifications
            </button>
          </div>
        )}
        {notice && (
          <p className="alert info" role="status">
            {notice}
          </p>
        )}
        <ErrorMessage error={error} />
        <label htmlFor="trace-title" className="visually-hidden">
          Titre
        </label>
        <input id="trace-title" className="title-input" value={draft.title} readOnly={!editable} onChange={(e) => change({ title: e.target.value })} />
        <RichEditor
          content={draft.content}
          editable={editable}
          label="Contenu de la trace"
          onReady={(e) => {
            editorRef.current = e;
            setEditorReady(e);
          }}
          onChange={(content) => change({ content })}
          highlights={highlights}
          shown={shown}
          onLocated={setLocated}
        />
        {editable && (
          <button type="button" className="primary submit" onClick={() => void askToSubmit()}>
            Soumettre à mon tuteur
          </button>
        )}
        {confirming && <SubmitDialog tutorName={tutorName} warnings={confirming} busy={submitting} onConfirm={() => void submit()} onCancel={() => setConfirming(null)} />}
      </div>
      <aside className="editor-side" aria-label="Étiquettes, pièces jointes et historique">
        {editable && <IdentifierPanel traceId={id} editor={editorReady} content={draft.content} />}
        <TagPicker legend="Compétences" options={COMPETENCE_LABELS} value={draft.competences} disabled={!editable} onChange={(competences) => change({ competences })} />
        <TagPicker legend="Familles de situations" options={familleOptions} value={draft.familles} disabled={!editable} onChange={(familles) => change({ familles })} />
        <section aria-labelledby="attachments-title">
          <h2 id="attachments-title">Pièces jointes</h2>
          <ul>
            {trace.attachments?.map((a) => (
              <li key={a.id}>
                <a href={`/api/attachments/${a.id}`}>{a.filename}</a> ({sizeFr(a.size)})
                {a.scan && <AttachmentWarnings attachmentId={a.id} scan={a.scan} filename={a.filename} audience={owner ? 'author' : 'reader'} />}
              </li>
            ))}
          </ul>
          {editable && (
            <div className="dropzone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
              <FileInput id="attachment" label="Ajouter un PDF, PNG ou JPEG (10 Mo au plus) — ou déposez-le ici" accept="application/pdf,image/png,image/jpeg" onFile={uploadFile} />
              {upload && (
                <p>
                  <label htmlFor="upload-progress">{upload.name}</label>{' '}
                  <progress id="upload-progress" max={100} value={upload.percent}>
                    {upload.percent} %
                  </progress>
                </p>
              )}
            </div>
          )}
        </section>
        <Revisions traceId={id} revisions={revisions} current={draft.content} />
        <Comments
          traceId={id}
          comments={comments}
          onChanged={() => void loadSide()}
          canResolve
          located={located}
          onShow={(c) => setShown((previous) => ({ id: c.id, times: (previous?.times ?? 0) + 1 }))}
        />
      </aside>
    </div>
  );
}

function Revisions({ traceId, revisions, current }: { traceId: string; revisions: { number: number; createdAt: string }[]; current: EditorJson }) {
  const [shown, setShown] = useState<{ number: number; lines: ReturnType<typeof diff> } | null>(null);
  if (!revisions.length) return null;
  const compare = async (number: number) => {
    const revision = await api.get<{ content: EditorJson }>(`/traces/${traceId}/revisions/${number}`);
    setShown({ number, lines: diff(blocksOf(revision.content), blocksOf(current)) });
  };
  return (
    <section aria-labelledby="revisions-title">
      <h2 id="revisions-title">Versions soumises</h2>
      <ul>
        {revisions.map((r) => (
          <li key={r.number}>
            Version {r.number} du {dateFr(r.createdAt)}{' '}
            <button type="button" className="link" onClick={() => void compare(r.number)}>
              Comparer avec le texte actuel
            </button>
          </li>
        ))}
      </ul>
      {shown && <TextDiff lines={shown.lines} label={`Différences entre la version ${shown.number} et le texte actuel`} />}
    </section>
  );
}
