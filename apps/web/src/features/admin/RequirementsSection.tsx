import { PHASE_TITLES } from '@carnet/domain';
import type { Phase, PhaseRules } from '@carnet/domain';
import { FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage, SuccessMessage } from '../../components/ErrorMessage';
import { dateFr, KIND_LABELS } from '../../labels';
import './organisation.css';
import { FieldError, fieldErrors } from '../../components/FieldError';

/** A phase's rules, as the domain defines them (one shape for the server and this form). */
type Rules = PhaseRules;
const KINDS = Object.keys(KIND_LABELS) as (keyof Rules['kinds'])[];

interface Requirement {
  phase: Phase;
  version: number;
  rules: Rules;
  createdAt: string;
}

const kindsText = (rules: Rules) =>
  Object.entries(rules.kinds)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} × ${KIND_LABELS[kind] ?? kind}`)
    .join(', ') || 'aucun type exigé';

/** The attendance rules in words; versions written before them ask for none. */
const attendanceText = (rules: Rules) =>
  [
    rules.tutorMeetingsPerYear ? `${rules.tutorMeetingsPerYear} rencontre(s) tuteur par an` : null,
    rules.geptMeetingsPerYear ? `${rules.geptMeetingsPerYear} GEPT par an` : null,
    rules.mandatoryTeaching ? 'toutes les séances obligatoires' : null,
  ]
    .filter(Boolean)
    .join(' ; ') || 'aucune';

/** The department's requirements per phase: each change is a new version; decided phases keep theirs. */
export function RequirementsSection() {
  const [current, setCurrent] = useState<Requirement[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Phase | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = async () => {
    try {
      setCurrent(await api.get<Requirement[]>('/requirements'));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), []);

  return (
    <>
      <section className="card" aria-labelledby="requirements-title">
        <h2 id="requirements-title">Exigences par phase</h2>
        <p className="meta">Ce que le DUMG demande pour valider chaque phase. Une modification crée une nouvelle version ; les décisions déjà prises gardent la version de leur date.</p>
        <ErrorMessage error={error} />
        <SuccessMessage message={message} />
        {current && (
          <table className="org-table">
            <caption>Exigences en vigueur</caption>
            <thead>
              <tr>
                <th scope="col">Phase</th>
                <th scope="col">Par type de trace</th>
                <th scope="col">Traces validées</th>
                <th scope="col">Familles</th>
                <th scope="col">Compétences</th>
                <th scope="col">Rencontres et assiduité</th>
                <th scope="col">Version</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {current.map((r) => (
                <tr key={r.phase}>
                  <th scope="row">{PHASE_TITLES[r.phase]}</th>
                  <td>{kindsText(r.rules)}</td>
                  <td>
                    {r.rules.validatedTraces} {r.rules.per === 'semester' ? 'par semestre' : 'sur la phase'}
                  </td>
                  <td>{r.rules.minFamilles}</td>
                  <td>{r.rules.minCompetences}</td>
                  <td>{attendanceText(r.rules)}</td>
                  <td>
                    v{r.version} du {dateFr(r.createdAt)}
                  </td>
                  <td>
                    <button type="button" aria-pressed={editing === r.phase} onClick={() => (setEditing(r.phase), setMessage(null))} aria-label={`Modifier : ${PHASE_TITLES[r.phase]}`}>
                      Modifier
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && current && (
        <RequirementForm
          key={editing}
          requirement={current.find((r) => r.phase === editing)!}
          onCancel={() => setEditing(null)}
          onSaved={async (saved) => {
            setEditing(null);
            setMessage(`${PHASE_TITLES[saved.phase]} : version ${saved.version} enregistrée.`);
            await load();
          }}
        />
      )}
    </>
  );
}

function RequirementForm({ requirement, onSaved, onCancel }: { requirement: Requirement; onSaved: (r: Requirement) => Promise<void>; onCancel: () => void }) {
  const [kinds, setKinds] = useState<Record<string, string>>(() => Object.fromEntries(KINDS.map((k) => [k, String(requirement.rules.kinds[k] ?? 0)])));
  const [validatedTraces, setValidatedTraces] = useState(String(requirement.rules.validatedTraces));
  const [per, setPer] = useState(requirement.rules.per);
  const [minFamilles, setMinFamilles] = useState(String(requirement.rules.minFamilles));
  const [minCompetences, setMinCompetences] = useState(String(requirement.rules.minCompetences));
  const [tutorMeetings, setTutorMeetings] = useState(String(requirement.rules.tutorMeetingsPerYear ?? 0));
  const [geptMeetings, setGeptMeetings] = useState(String(requirement.rules.geptMeetingsPerYear ?? 0));
  const [mandatoryTeaching, setMandatoryTeaching] = useState(requirement.rules.mandatoryTeaching === true);
  const [history, setHistory] = useState<Requirement[]>([]);
  const [error, setError] = useState<unknown>(null);
  const phase = requirement.phase;
  useEffect(() => {
    api.get<Requirement[]>(`/admin/requirements/${phase}`).then(setHistory, () => setHistory([]));
  }, [phase]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const rules: Rules = {
      kinds: Object.fromEntries(Object.entries(kinds).filter(([, n]) => Number(n) > 0).map(([k, n]) => [k, Number(n)])) as Rules['kinds'],
      validatedTraces: Number(validatedTraces),
      per,
      minFamilles: Number(minFamilles),
      minCompetences: Number(minCompetences),
      tutorMeetingsPerYear: Number(tutorMeetings),
      geptMeetingsPerYear: Number(geptMeetings),
      mandatoryTeaching,
    };
    try {
      await onSaved(await api.put<Requirement>(`/admin/requirements/${phase}`, { rules }));
    } catch (e) {
      setError(e);
    }
  };

  const number = (id: string, label: string, value: string, set: (v: string) => void, max: number, path: string) => (
    <div>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min={0} max={max} required value={value} onChange={(e) => set(e.target.value)} aria-describedby={fieldErrors(error, path).length ? `${id}-error` : undefined} />
      <FieldError id={`${id}-error`} messages={fieldErrors(error, path)} />
    </div>
  );
  return (
    <form className="card" onSubmit={submit} aria-labelledby="requirement-form-title">
      <h2 id="requirement-form-title">Modifier les exigences : {PHASE_TITLES[phase]}</h2>
      <fieldset className="supervisor">
        <legend>Traces validées exigées par type</legend>
        <div className="org-grid">
          {KINDS.map((k) => number(`requirement-kind-${k}`, KIND_LABELS[k], kinds[k], (v) => setKinds((all) => ({ ...all, [k]: v })), 100, `rules.kinds.${k}`))}
        </div>
      </fieldset>
      <div className="org-grid">
        {number('requirement-traces', 'Traces validées, tous types', validatedTraces, setValidatedTraces, 200, 'rules.validatedTraces')}
        <div>
          <label htmlFor="requirement-per">Compté</label>
          <select id="requirement-per" value={per} onChange={(e) => setPer(e.target.value as Rules['per'])}>
            <option value="semester">par semestre de la phase</option>
            <option value="phase">sur toute la phase</option>
          </select>
        </div>
        {number('requirement-familles', 'Familles de situations couvertes (au moins)', minFamilles, setMinFamilles, 12, 'rules.minFamilles')}
        {number('requirement-competences', 'Compétences couvertes (au moins)', minCompetences, setMinCompetences, 6, 'rules.minCompetences')}
        {number('requirement-tutor-meetings', 'Rencontres tuteur co-signées par an (au moins)', tutorMeetings, setTutorMeetings, 12, 'rules.tutorMeetingsPerYear')}
        {number('requirement-gept-meetings', 'Participations à un GEPT par an (au moins)', geptMeetings, setGeptMeetings, 24, 'rules.geptMeetingsPerYear')}
      </div>
      <div>
        <input
          id="requirement-mandatory-teaching"
          type="checkbox"
          checked={mandatoryTeaching}
          onChange={(e) => setMandatoryTeaching(e.target.checked)}
          aria-describedby={`requirement-mandatory-teaching-hint${fieldErrors(error, 'rules.mandatoryTeaching').length ? ' requirement-mandatory-teaching-error' : ''}`}
        />{' '}
        <label htmlFor="requirement-mandatory-teaching">Toutes les séances obligatoires de la phase</label>
        <p id="requirement-mandatory-teaching-hint" className="meta">
          Chaque séance obligatoire déjà tenue suivie, ou l’absence justifiée.
        </p>
        <FieldError id="requirement-mandatory-teaching-error" messages={fieldErrors(error, 'rules.mandatoryTeaching')} />
      </div>
      <div className="org-actions">
        <button type="submit" className="primary">
          Enregistrer une nouvelle version
        </button>
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
      <ErrorMessage error={error} />
      {history.length > 1 && (
        <details>
          <summary>Versions précédentes ({history.length - 1})</summary>
          <ul>
            {history
              .slice(0, -1)
              .reverse()
              .map((h) => (
                <li key={h.version}>
                  v{h.version} du {dateFr(h.createdAt)} : {kindsText(h.rules)} ; {h.rules.validatedTraces} traces {h.rules.per === 'semester' ? 'par semestre' : 'sur la phase'} ; {h.rules.minFamilles} familles ; {h.rules.minCompetences} compétences ; rencontres et assiduité : {attendanceText(h.rules)}
                </li>
              ))}
          </ul>
        </details>
      )}
    </form>
  );
}
