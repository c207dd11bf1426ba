import { createContext, ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, ApiError, Me, request, setCsrfToken } from './api';

interface Session {
  me: Me | null | undefined;
  refresh: () => Promise<void>;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session>({ me: undefined, refresh: async () => undefined, signIn: async () => undefined, signOut: async () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      const current = await api.get<Me>('/me');
      setCsrfToken(current.csrfToken);
      setMe(current);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else throw error;
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const signIn = async (email: string, password: string) => {
    const result = await api.post<{ user: Me }>('/auth/login', { email, password });
    setCsrfToken(result.user.csrfToken);
    setMe(result.user);
  };
  const signOut = async () => {
    // Carnet's session ends first; one a university opened then ends at the university too, on
    // its logout page, which brings the browser back to the sign-in page.
    const answer = await request<{ logoutUrl: string | null } | undefined>('POST', '/auth/logout', { body: {}, headers: { Prefer: 'return=representation' } }).catch(() => undefined);
    setCsrfToken(undefined);
    setMe(null);
    const next = answer?.body?.logoutUrl;
    if (next && /^https?:\/\//.test(next)) window.location.assign(next);
  };
  return <SessionContext.Provider value={{ me, refresh, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
