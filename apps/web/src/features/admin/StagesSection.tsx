import { FormEvent, useState } from 'react';
import { api, ApiError, Page } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { UserPicker, UserRow } from './UserPicker';
import './organisation.css';
import { dateFr } from '../../labels';
import { FieldError, fieldErrors } from '../../components/FieldError';
import { Pager } from '../../components/Pager';
import { useLatest } from '../../components/useLatest';

const KINDS: Record<string, string> = {
  praticien_n1: 'Stage chez le praticien niveau 1',
  urgences: 'Urgences',
  medecine_adulte: 'Médecine adulte',
  gyneco_pediatrie: 'Gynécologie-pédiatrie',
  libre: 'Stage libre',
  saspas: 'SASPAS',
};
/** The kinds whose MSU share the semester's honoraires pédagogiques. */
const WITH_FEES = ['praticien_n1', 'saspas'];
const SEMESTERS = [1, 2, 3, 4, 5, 6, 7, 8];
const MIN_HALF_DAYS_N1 = 8;
const PAGE_SIZE = 20;

interface Stage {
  id: string;
  intern: { id: string; displayName: string; upp: string | null };
  kind: string;
  label: string;
  semester: number;
  place: string;
  startsOn: string;
  endsOn: string;
  supervisors: { tutorId: string; displayName: string; referent: boolean; halfDaysPerWeek: number }[];
}

interface FeeLine {
  tutorId: string;
  displayName: string;
  halfDaysPerWeek: number;
  share: number;
  amountCents: number;
}

interface SupervisorDraft {
  key: number;
  tutor: UserRow | null;
  halfDays: string;
}

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 2 });

let nextKey = 1;
const blankSupervisor = (): SupervisorDraft => ({ key: nextKey++, tutor: null, halfDays: '4' });

/** Stages: the list by intern, semester and kind; a new stage with its MSU; the fee split. */
export function StagesSection() {
  const [page, setPage] = useState(1);
  const [filterIntern, setFilterIntern] = useState<UserRow | null>(null);
  const [filterSemester, setFilterSemester] = useState('');
  const [filterKind, setFilterKind] = useState('');
  const [fees, setFees] = useState<{ stage: Stage; lines: FeeLine[] } | null>(null);
  const [feesError, setFeesError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);

  const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  if (filterIntern) query.set('internId', filterIntern.id);
  if (filterSemester) query.set('semester', filterSemester);
  if (filterKind) query.set('kind', filterKind);
  const { data: list, error: listError, reload: load } = useLatest<Page<Stage>>(`/stages?${query}`);

  const showFees = async (stage: Stage) => {
    setFeesError(null);
    try {
      setFees({ stage, lines: await api.get<FeeLine[]>(`/stages/${stage.id}/fees`) });
    } catch (e) {
      setFees(null);
      setFeesError(e);
    }
  };

  return (
    <>
      <StageForm
        onCreated={async (stage) => {
          setCreated(`Stage créé : ${stage.label}, semestre ${stage.semester}, pour ${stage.intern.displayName}.`);
          setPage(1);
          load();
          if (WITH_FEES.includes(stage.kind)) await showFees(stage);
        }}
      />
      <SuccessMessage message={created} />
      <section className="card" aria-labelledby="stages-list-title">
        <h2 id="stages-list-title">Stages</h2>
        <div className="org-grid">
          <UserPicker id="stage-filter-intern" label="Filtrer par interne" role="intern" onPick={(u) => (setFilterIntern(u), setPage(1))} hint="Videz le champ pour voir tous les internes." />
          <div>
            <label htmlFor="stage-filter-semester">Filtrer par semestre</label>
            <select id="stage-filter-semester" value={filterSemester} onChange={(e) => (setFilterSemester(e.target.value), setPage(1))}>
              <option value="">Tous les semestres</option>
              {SEMESTERS.map((s) => (
                <option key={s} value={s}>
                  Semestre {s}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="stage-filter-kind">Filtrer par type</label>
            <select id="stage-filter-kind" value={filterKind} onChange={(e) => (setFilterKind(e.target.value), setPage(1))}>
              <option value="">Tous les types</option>
              {Object.entries(KINDS).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorMessage error={listError} />
        {list && (
          <>
            <table className="org-table">
              <caption>Stages : {list.total}</caption>
              <thead>
                <tr>
                  <th scope="col">Interne</th>
                  <th scope="col">Type</th>
                  <th scope="col">Semestre</th>
                  <th scope="col">Dates</th>
                  <th scope="col">Encadrement</th>
                  <th scope="col">Honoraires</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((s) => (
                  <tr key={s.id}>
                    <td>{s.intern.displayName}</td>
                    <td>
                      {KINDS[s.kind] ?? s.label}
                      {s.place && <span className="meta"> · {s.place}</span>}
                    </td>
                    <td>{s.semester}</td>
                    <td>
                      du {dateFr(s.startsOn)} au {dateFr(s.endsOn)}
                    </td>
                    <td>{s.supervisors.map((m) => `${m.displayName}${m.referent ? ' (référent)' : ''}, ${m.halfDaysPerWeek} demi-j./sem.`).join(' ; ') || '—'}</td>
                    <td>
                      {WITH_FEES.includes(s.kind) ? (
                        <button type="button" onClick={() => void showFees(s)} aria-label={`Voir les honoraires du stage de ${s.intern.displayName}, semestre ${s.semester}`}>
                          Voir les honoraires
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
                {!list.items.length && (
                  <tr>
                    <td colSpan={6}>Aucun stage pour ces critères.</td>
                  </tr>
                )}
              </tbody>
            </table>
            <Pager label="stages" page={page} pageSize={PAGE_SIZE} total={list.total} onPage={setPage} />
          </>
        )}
      </section>
      <ErrorMessage error={feesError} />
      {fees && <FeesTable stage={fees.stage} lines={fees.lines} />}
    </>
  );
}

function FeesTable({ stage, lines }: { stage: Stage; lines: FeeLine[] }) {
  const total = lines.reduce((sum, l) => sum + l.amountCents, 0);
  return (
    <section className="card" aria-labelledby="stage-fees-title">
      <h2 id="stage-fees-title">
        Honoraires pédagogiques : {stage.intern.displayName}, semestre {stage.semester}
      </h2>
      <p className="meta">Les 3 600 € du semestre, partagés au prorata des demi-journées et des jours d’encadrement de chaque MSU.</p>
      <table className="org-table">
        <caption>Répartition des honoraires</caption>
        <thead>
          <tr>
            <th scope="col">MSU</th>
            <th scope="col" className="number">
              Demi-journées par semaine
            </th>
            <th scope="col" className="number">
              Part
            </th>
            <th scope="col" className="number">
              Montant
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.tutorId}>
              <td>{l.displayName}</td>
              <td className="number">{l.halfDaysPerWeek}</td>
              <td className="number">{percent.format(l.share)}</td>
              <td className="number">{euros.format(l.amountCents / 100)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3}>Total</td>
            <td className="number">{euros.format(total / 100)}</td>
          </tr>
        </tfoot>
      </table>
      <p>
        <a href={`/api/stages/${stage.id}/fees?format=csv`}>Télécharger la répartition (CSV pour la comptabilité)</a>
      </p>
    </section>
  );
}

function StageForm({ onCreated }: { onCreated: (stage: Stage) => Promise<void> }) {
  const [intern, setIntern] = useState<UserRow | null>(null);
  const [kind, setKind] = useState('praticien_n1');
  const [semester, setSemester] = useState('1');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [place, setPlace] = useState('');
  const [supervisors, setSupervisors] = useState<SupervisorDraft[]>(() => [blankSupervisor(), blankSupervisor()]);
  const [referent, setReferent] = useState(0);
  const [error, setError] = useState<unknown>(null);
  // The picker keeps its own text: a new key empties the form's pickers after a creation.
  const [round, setRound] = useState(0);

  const withSupervisors = kind === 'praticien_n1' || kind === 'saspas';
  const halfDays = supervisors.reduce((sum, s) => sum + (Number(s.halfDays) || 0), 0);
  const update = (key: number, change: Partial<SupervisorDraft>) => setSupervisors((all) => all.map((s) => (s.key === key ? { ...s, ...change } : s)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!intern) return setError(new ApiError({ status: 0, title: '', detail: 'Choisissez l’interne dans la liste proposée.', errors: [{ path: 'internId', message: 'choisissez un interne' }] }));
    const chosen = withSupervisors ? supervisors : supervisors.filter((s) => s.tutor);
    if (chosen.some((s) => !s.tutor)) {
      return setError(new ApiError({ status: 0, title: '', detail: 'Choisissez chaque MSU dans la liste proposée, ou retirez la ligne.', errors: [{ path: 'supervisors', message: 'MSU à choisir' }] }));
    }
    try {
      const stage = await api.post<Stage>('/stages', {
        internId: intern.id,
        kind,
        semester: Number(semester),
        startsOn,
        endsOn,
        ...(place.trim() ? { place: place.trim() } : {}),
        supervisors: chosen.map((s) => ({ tutorId: s.tutor!.id, referent: supervisors.indexOf(s) === referent, halfDaysPerWeek: Number(s.halfDays) })),
      });
      setRound((r) => r + 1);
      setIntern(null);
      setSupervisors([blankSupervisor(), blankSupervisor()]);
      setReferent(0);
      await onCreated(stage);
    } catch (e) {
      setError(e);
    }
  };

  const errorsOf = (path: string) => fieldErrors(error, path);
  const describedBy = (id: string, path: string) => (errorsOf(path).length ? id : undefined);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="stage-form-title" noValidate={false}>
      <h2 id="stage-form-title">Créer un stage</h2>
      <div className="org-grid">
        <div>
          <UserPicker key={`intern-${round}`} id="stage-intern" label="Interne du stage" role="intern" onPick={setIntern} required />
          <FieldError id="stage-intern-error" messages={errorsOf('internId')} />
        </div>
        <div>
          <label htmlFor="stage-kind">Type de stage</label>
          <select id="stage-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="stage-semester">Semestre du DES</label>
          <select id="stage-semester" value={semester} onChange={(e) => setSemester(e.target.value)}>
            {SEMESTERS.map((s) => (
              <option key={s} value={s}>
                Semestre {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="stage-starts">Premier jour</label>
          <input id="stage-starts" type="date" required value={startsOn} onChange={(e) => setStartsOn(e.target.value)} aria-describedby={describedBy('stage-starts-error', 'startsOn')} />
          <FieldError id="stage-starts-error" messages={errorsOf('startsOn')} />
        </div>
        <div>
          <label htmlFor="stage-ends">Dernier jour</label>
          <input id="stage-ends" type="date" required value={endsOn} onChange={(e) => setEndsOn(e.target.value)} aria-describedby={describedBy('stage-ends-error', 'endsOn')} />
          <FieldError id="stage-ends-error" messages={errorsOf('endsOn')} />
        </div>
        <div>
          <label htmlFor="stage-place">Lieu (cabinet, service)</label>
          <input id="stage-place" maxLength={300} value={place} onChange={(e) => setPlace(e.target.value)} />
        </div>
      </div>

      <fieldset className="supervisor" aria-describedby="stage-supervisors-rule">
        <legend>Encadrement (MSU)</legend>
        <p id="stage-supervisors-rule" className="meta">
          {kind === 'praticien_n1'
            ? `Binôme ou trinôme : 2 ou 3 MSU, un seul référent, au moins ${MIN_HALF_DAYS_N1} demi-journées par semaine au total (ici : ${halfDays}).`
            : kind === 'saspas'
              ? 'De 1 à 4 praticiens, un seul référent.'
              : 'Facultatif pour ce type de stage ; au plus un référent.'}
        </p>
        {supervisors.map((s, i) => (
          <div key={s.key} className="org-grid">
            <UserPicker key={`msu-${s.key}-${round}`} id={`stage-msu-${s.key}`} label={`MSU n° ${i + 1}`} role="tutor" onPick={(tutor) => update(s.key, { tutor })} />
            <div>
              <label htmlFor={`stage-msu-${s.key}-half-days`}>Demi-journées par semaine, MSU n° {i + 1}</label>
              <input id={`stage-msu-${s.key}-half-days`} type="number" min={1} max={10} required value={s.halfDays} onChange={(e) => update(s.key, { halfDays: e.target.value })} />
              <FieldError id={`stage-msu-${s.key}-half-days-error`} messages={errorsOf(`supervisors.${i}.halfDaysPerWeek`)} />
            </div>
            <div>
              <label className="check">
                <input type="radio" name="stage-referent" checked={referent === i} onChange={() => setReferent(i)} />
                Référent : MSU n° {i + 1}
              </label>
              {supervisors.length > 1 && (
                <button type="button" onClick={() => (setSupervisors((all) => all.filter((x) => x.key !== s.key)), setReferent((r) => (r === i ? 0 : r > i ? r - 1 : r)))}>
                  Retirer le MSU n° {i + 1}
                </button>
              )}
            </div>
          </div>
        ))}
        <FieldError id="stage-supervisors-error" messages={fieldErrors(error, 'supervisors', true)} />
        <div className="org-actions">
          <button type="button" disabled={supervisors.length >= 4} onClick={() => setSupervisors((all) => [...all, blankSupervisor()])}>
            Ajouter un MSU
          </button>
        </div>
      </fieldset>
      <div className="org-actions">
        <button type="submit" className="primary">
          Créer le stage
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
