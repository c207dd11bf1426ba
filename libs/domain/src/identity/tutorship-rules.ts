import { DomainError, ErrorCode } from '../errors';
import { Role } from '../roles';

interface Person {
  id: string;
  roles: readonly Role[];
  promotion: number | null;
  active: boolean;
}

interface ActiveTutorship {
  tutorId: string;
  internId: string;
  promotion: number;
}

/**
 * May `tutor` start tutoring `intern`? A tutor (MSU) tutors at most one intern per promotion;
 * an intern has at most one active tutor. `active` lists the current tutorships of either.
 * Returns the promotion the tutorship counts against.
 */
export function assertCanStartTutorship(tutor: Person, intern: Person, active: readonly ActiveTutorship[]): number {
  if (!tutor.roles.includes('tutor') || !tutor.active) {
    throw new DomainError(ErrorCode.RoleMismatch, 'Le tuteur doit être un maître de stage (rôle « tutor ») actif.', [
      { path: 'tutorId', message: 'n’est pas un tuteur actif' },
    ]);
  }
  if (!intern.roles.includes('intern') || intern.promotion === null || !intern.active) {
    throw new DomainError(ErrorCode.RoleMismatch, 'Le tutoré doit être un interne actif rattaché à une promotion.', [
      { path: 'internId', message: 'n’est pas un interne actif' },
    ]);
  }
  if (tutor.id === intern.id) {
    throw new DomainError(ErrorCode.RoleMismatch, 'Un tuteur ne peut pas être son propre tutoré.');
  }
  if (active.some((t) => t.internId === intern.id)) {
    throw new DomainError(ErrorCode.InternAlreadyHasTutor, 'Cet interne a déjà un tuteur actif : mettez fin à ce tutorat d’abord.');
  }
  if (active.some((t) => t.tutorId === tutor.id && t.promotion === intern.promotion)) {
    throw new DomainError(
      ErrorCode.TutorAlreadyHasPromotionTutee,
      `Ce tuteur suit déjà un interne de la promotion ${intern.promotion} : un MSU tutore au plus un interne par promotion.`,
    );
  }
  return intern.promotion;
}
