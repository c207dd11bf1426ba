import { ApiError } from '../api';

/** The API's messages about one field (`path`, and unless `exact` its children), to show beside it. */
export function fieldErrors(error: unknown, path: string, exact = false): string[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem.errors ?? []).filter((e) => e.path === path || (!exact && e.path.startsWith(`${path}.`))).map((e) => e.message);
}

export function FieldError({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ; ')}
    </p>
  );
}
