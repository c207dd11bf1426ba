import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, Page, TraceSummary } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { COMPETENCE_LABELS, dateFr, FAMILLE_LABELS, KIND_LABELS, STATUS_LABELS } from '../../labels';
import { Link, useRouter } from '../../router';
import { ImportedStamp } from '../../components/ImportedStamp';
import { OriginNote } from '../portfolio-transfers/OriginNote';

export function TracesPage() {
  const { navigate } = useRouter();
  const [filters, setFilters] = useState({ q: '', status: '', kind: '', competence: '', famille: '' });
  const [page, setPage] = useState<Page<TraceSummary> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [newKind, setNewKind] = useState('rsca');
  const [newTitle, setNewTitle] = useState('');

  const load = useCallback(async () => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
    query.set('pageSize', '100');
    try {
      setPage(await api.get<Page<TraceSummary>>(`/traces?${query}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [filters]);
  useEffect(() => {
    const timer = setTimeout(() => void load(), 250);
    return () => clearTimeout(timer);
  }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const trace = await api.post<TraceSummary>('/traces', { kind: newKind, title: newTitle.trim() || 'Sans titre', competences: [], familles: [] });
      navigate(`/traces/${trace.id}`);
    } catch (e) {
      setError(e);
    }
  };
  const toRework = page?.items.filter((t) => t.status === 'changes_requested') ?? [];
  const toRead = page?.items.filter((t) => (t.unreadComments ?? 0) > 0 && t.status !== 'changes_requested') ?? [];

  return (
    <>
      <h1>Mes traces</h1>
      <ErrorMessage error={error} />
      {toRework.length > 0 && (
        <section className="alert info" aria-labelledby="rework-title">
          <h2 id="rework-title">À reprendre ({toRework.length})</h2>
          <ul>
            {toRework.map((t) => (
              <li key={t.id}>
                <Link to={`/traces/${t.id}`}>{t.title}</Link> — votre tuteur demande des modifications
              </li>
            ))}
          </ul>
        </section>
      )}
      {toRead.length > 0 && (
        <section className="alert info" aria-labelledby="unread-title">
          <h2 id="unread-title">Nouveaux commentaires</h2>
          <ul>
            {toRead.map((t) => (
              <li key={t.id}>
                <Link to={`/traces/${t.id}`}>{t.title}</Link> — {t.unreadComments} nouveau{t.unreadComments! > 1 ? 'x' : ''} commentaire{t.unreadComments! > 1 ? 's' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <form className="card inline" onSubmit={create} aria-labelledby="new-title">
        <h2 id="new-title">Nouvelle trace</h2>
        <div className="row">
          <div>
            <label htmlFor="new-kind">Type</label>
            <select id="new-kind" value={newKind} onChange={(e) => setNewKind(e.target.value)}>
              {Object.entries(KIND_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="grow">
            <label htmlFor="new-trace-title">Titre</label>
            <input id="new-trace-title" value={newTitle} onChange={(e) => setNewTitle(e.target.value)} placeholder="Une douleur thoracique en fin de consultation" />
          </div>
          <button type="submit" className="primary">
            Créer
          </button>
        </div>
      </form>
      <section aria-labelledby="list-title">
        <h2 id="list-title">Toutes mes traces {page ? `(${page.total})` : ''}</h2>
        <div className="filters" role="search">
          <div className="grow">
            <label htmlFor="q">Rechercher</label>
            <input id="q" type="search" value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} placeholder="diabète, « douleur thoracique », vaccin*" />
          </div>
          <Select id="f-status" label="Statut" value={filters.status} options={STATUS_LABELS} onChange={(status) => setFilters({ ...filters, status })} />
          <Select id="f-kind" label="Type" value={filters.kind} options={KIND_LABELS} onChange={(kind) => setFilters({ ...filters, kind })} />
          <Select id="f-competence" label="Compétence" value={filters.competence} options={COMPETENCE_LABELS} onChange={(competence) => setFilters({ ...filters, competence })} />
          <Select id="f-famille" label="Famille" value={filters.famille} options={FAMILLE_LABELS} onChange={(famille) => setFilters({ ...filters, famille })} />
        </div>
        {page && page.items.length === 0 && <p>Aucune trace ne correspond.</p>}
        <ul className="trace-list">
          {page?.items.map((t) => (
            <li key={t.id} className="card">
              <div className="trace-head">
                <Link to={`/traces/${t.id}`}>{t.title}</Link>
                <span>
                  {(t.unreadComments ?? 0) > 0 && <span className="badge unread">{t.unreadComments} non lu{t.unreadComments! > 1 ? 's' : ''}</span>}{' '}
                  <span className={`badge ${t.status}`}>{STATUS_LABELS[t.status]}</span>
                </span>
              </div>
              <p className="meta">
                {KIND_LABELS[t.kind]} · modifiée le {dateFr(t.updatedAt)}
                {t.validatedAt ? ` · validée le ${dateFr(t.validatedAt)}` : ''} <ImportedStamp from={t.importedFrom} short />
                {t.origin && ' · '}
                <OriginNote origin={t.origin} validated={t.status === 'validated'} />
              </p>
              {t.snippet && <p className="snippet" dangerouslySetInnerHTML={{ __html: t.snippet }} />}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Select({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: Record<string, string>; onChange: (value: string) => void }) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Tous</option>
        {Object.entries(options).map(([code, text]) => (
          <option key={code} value={code}>
            {text.length > 40 ? `${text.slice(0, 40)}…` : text}
          </option>
        ))}
      </select>
    </div>
  );
}
