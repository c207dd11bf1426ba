import type { TeachingProgressView } from '@carnet/contracts';
import { PortfolioRepository } from '@carnet/database';
import { judgeTeachingAttendance, Phase } from '@carnet/domain';

/** Attendance of the phase's mandatory teaching, judged by the rule of @carnet/domain, for progress. */
export async function teachingProgress(portfolios: PortfolioRepository, internId: string, phase: Phase, window: { from: Date; to: Date }, now: Date): Promise<TeachingProgressView> {
  const rows = await portfolios.mandatorySessionsInPhase(internId, phase, window);
  const { held, attended, excused, upcoming, missed, gaps } = judgeTeachingAttendance(rows, now);
  return { held, attended, excused, upcoming, missed, gaps };
}
