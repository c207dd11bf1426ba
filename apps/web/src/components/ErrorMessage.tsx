import { ApiError } from '../api';

/** A refusal from the API, said in French, with the fields at fault. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : { detail: String((error as Error).message ?? error), errors: undefined };
  // A field whose message is the detail itself (a file named in the sentence) is not said twice.
  const errors = problem.errors?.filter((e) => e.message !== problem.detail);
  return (
    <div className="alert error" role="alert">
      <p>{problem.detail}</p>
      {errors?.length ? (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> : {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** What an action did, said once it is done (announced to screen readers); nothing while there is nothing to say. */
export function SuccessMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="status" className="alert success">
      {message}
    </p>
  );
}
