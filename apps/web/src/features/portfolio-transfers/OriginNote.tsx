import type { OriginView } from '@carnet/contracts';
import './portfolio-transfers.css';

/**
 * Where a trace (or an assessment) came from when the intern's portfolio moved here from another
 * faculty: « Validée à <faculté> par <nom> » when it was validated there, else « Venue de <faculté> ».
 */
export function OriginNote({ origin, validated }: { origin?: OriginView; validated?: boolean }) {
  if (!origin) return null;
  const there = validated && origin.validatedByName;
  return (
    <span className="origin-note">
      {there ? `Validée à ${origin.facultyName} par ${origin.validatedByName}` : `Venue de ${origin.facultyName}`}
    </span>
  );
}
