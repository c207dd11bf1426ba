import type { TeachingProgressView } from '@carnet/contracts';
import { PreparedStatements } from '@carnet/database';
import { judgeTeachingAttendance, MandatorySession, Phase, TeachingKind } from '@carnet/domain';

/**
 * The mandatory sessions of a phase ($2) an intern ($1) was expected at (their promotion and UPP,
 * or sessions expecting everyone), held within the phase's window ($3 to before $4), with their
 * attendance.
 */
const MANDATORY_SESSIONS_SQL = `SELECT s.id, s.title, s.kind, s.starts_at AS "startsAt", s.ends_at AS "endsAt", a.status AS attendance
  FROM teaching_session s JOIN app_user u ON u.id = $1
  LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = $1
 WHERE s.mandatory AND s.phase = $2 AND s.starts_at >= $3 AND s.starts_at < $4
   -- The workers' sweeps run outside any faculty's scope: the intern's faculty only, said here.
   AND s.faculty_id = u.faculty_id
   AND (cardinality(s.promotions) = 0 OR u.promotion = ANY (s.promotions))
   AND (cardinality(s.upp_ids) = 0 OR u.upp_id = ANY (s.upp_ids))`;

/** Attendance of the phase's mandatory teaching, judged by the rule of @carnet/domain, for progress. */
export async function teachingProgress(statements: PreparedStatements, internId: string, phase: Phase, window: { from: Date; to: Date }, now: Date): Promise<TeachingProgressView> {
  const rows = await statements.query<Omit<MandatorySession, 'kind'> & { kind: TeachingKind }>(MANDATORY_SESSIONS_SQL, [internId, phase, window.from, window.to]);
  const { held, attended, excused, upcoming, missed, gaps } = judgeTeachingAttendance(rows, now);
  return { held, attended, excused, upcoming, missed, gaps };
}
