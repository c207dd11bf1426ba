import type { TeachingProgressView } from '@carnet/contracts';

/** Beside the portfolio: the phase's mandatory teaching, attended or missed, with the gaps in words. */
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
      <p>
        <a href={`/api/portfolios/${internId}/teaching-attendance.csv`} download>
          Exporter les présences aux enseignements (CSV)
        </a>
      </p>
    </section>
  );
}
