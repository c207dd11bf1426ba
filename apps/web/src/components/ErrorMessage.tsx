import { ApiError } from '../api';

/** A refusal from the API, said in French, with the fields at fault. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : { detail: String((error as Error).message ?? error), errors: undefined };
  return (
    <div className="alert error" role="alert">
      <p>{problem.detail}</p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> : {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
