import type { OriginView, TraceView } from '@carnet/contracts';
import type { PortfolioTransferRepository } from '@carnet/database';

/**
 * Names the faculty each moved trace comes from, and who validated it there (a portfolio
 * transfer keeps those names in the new faculty, `portfolio_transfer_person`, since the old
 * faculty's rows stay out of its reach). One statement for a page of views; none when no view
 * came from elsewhere.
 */
export async function fillTraceOrigins(transfers: Pick<PortfolioTransferRepository, 'namesKeptAtMove'>, views: TraceView[]): Promise<void> {
  const moved = views.filter((view): view is TraceView & { origin: OriginView } => view.origin !== undefined);
  if (!moved.length) return;
  const faculties = [...new Set(moved.map((view) => view.origin.facultyId))];
  const validators = [...new Set(moved.map((view) => view.validatedBy).filter((id): id is string => id !== null))];
  const names = await transfers.namesKeptAtMove(faculties, validators);
  for (const view of moved) {
    view.origin.facultyName = names.faculties[view.origin.facultyId] ?? '';
    // Validated by someone of the old faculty: validated there.
    view.origin.validatedByName = view.validatedBy ? (names.people[view.validatedBy] ?? null) : null;
  }
}
