import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';

/**
 * GET `path` (relative to /api) whenever it changes, keeping only the answer to the latest
 * request: filters change faster than answers come. `reload` asks again for the same path (after
 * an action changed the list). `path` null asks nothing.
 */
export function useLatest<T>(path: string | null): { data: T | null; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const asked = useRef(0);
  useEffect(() => {
    if (path === null) return;
    const ask = ++asked.current;
    api.get<T>(path).then(
      (result) => {
        if (ask !== asked.current) return;
        setData(result);
        setError(null);
      },
      (e: unknown) => ask === asked.current && setError(e),
    );
  }, [path, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload };
}
