import type { OriginView, TraceView } from '@carnet/contracts';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Names the faculty each moved trace comes from, and who validated it there (a portfolio
 * transfer keeps those names in the new faculty, `portfolio_transfer_person`, since the old
 * faculty's rows stay out of its reach). One statement for a page of views; none when no view
 * came from elsewhere.
 */
export async function fillTraceOrigins(db: Queryable, views: TraceView[]): Promise<void> {
  const moved = views.filter((view): view is TraceView & { origin: OriginView } => view.origin !== undefined);
  if (!moved.length) return;
  const faculties = [...new Set(moved.map((view) => view.origin.facultyId))];
  const validators = [...new Set(moved.map((view) => view.validatedBy).filter((id): id is string => id !== null))];
  const [names] = (await db.query(
    `SELECT coalesce((SELECT json_object_agg(id, name) FROM faculty WHERE id = ANY($1::uuid[])), '{}') AS faculties,
            coalesce((SELECT json_object_agg(user_id, display_name) FROM portfolio_transfer_person WHERE user_id = ANY($2::uuid[])), '{}') AS people`,
    [faculties, validators],
  )) as { faculties: Record<string, string>; people: Record<string, string> }[];
  for (const view of moved) {
    view.origin.facultyName = names.faculties[view.origin.facultyId] ?? '';
    // Validated by someone of the old faculty: validated there.
    view.origin.validatedByName = view.validatedBy ? (names.people[view.validatedBy] ?? null) : null;
  }
}
