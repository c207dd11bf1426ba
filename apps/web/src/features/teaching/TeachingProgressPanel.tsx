import type { TeachingProgressView } from '@carnet/contracts';
import { TEACHING_KIND_WORDS } from '@carnet/domain';
import { dateFr } from '../../labels';

const kindLabel = (kind: string) => TEACHING_KIND_WORDS[kind as keyof typeof TEACHING_KIND_WORDS]?.label ?? kind;

/** Beside the portfolio (progress and jury pages): the phase's mandatory teaching, attended or missed, with the gaps in words. */
export function TeachingProgressPanel({ internId, progress }: { internId: string; progress: object }) {
  const teaching = (progress as { teaching?: TeachingProgressView }).teaching;
  if (!teaching) return null;
  return (
    <section aria-labelledby="teaching-progress-title">
      <h2 id="teaching-progress-title">Enseignements obligatoires de la phase</h2>
      <p>
        {teaching.held === 0
          ? 'Aucune séance obligatoire tenue pour l’instant.'
          : `${teaching.attended} séance(s) suivie(s) sur ${teaching.held}, ${teaching.excused} absence(s) justifiée(s).`}{' '}
        {teaching.upcoming > 0 && `${teaching.upcoming} à venir.`}
      </p>
      {teaching.gaps.length > 0 && (
        <ul>
          {teaching.gaps.map((gap) => (
            <li key={gap}>{gap}</li>
          ))}
        </ul>
      )}
      {teaching.missed.length > 0 && (
        <table>
          <caption>Séances obligatoires manquées (ni présence, ni absence justifiée)</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Séance</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {teaching.missed.map((m) => (
              <tr key={m.id}>
                <td>{dateFr(m.startsAt)}</td>
                <th scope="row">{m.title}</th>
                <td>{kindLabel(m.kind)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`/api/portfolios/${internId}/teaching-attendance.csv`} download>
          Exporter les présences aux enseignements (CSV)
        </a>
      </p>
    </section>
  );
}
