import type { LiveSessionRow, SessionRepository } from '@carnet/database';
import type { KnownSession, SessionCache } from './session-cache';
import { SessionsService } from './sessions.service';
import { hashToken } from './tokens';

const row: LiveSessionRow = { session_id: 's1', csrf_token: 'c', expires_at: new Date(Date.now() + 60_000), user_id: 'u1', roles: ['intern'], faculty_id: 'f1' };

/** The session lookup and its cache, the repository faked at its interface. */
function build(found: LiveSessionRow | undefined, cached?: KnownSession) {
  const lookups: Buffer[] = [];
  const remembered: { key: string; value: KnownSession; mark: number }[] = [];
  const repository = { findLive: async (tokenHash: Buffer) => (lookups.push(tokenHash), found) } as unknown as SessionRepository;
  const cache = { mark: 7, get: () => cached, remember: (key: string, value: KnownSession, mark: number) => remembered.push({ key, value, mark }) } as unknown as SessionCache;
  return { service: new SessionsService(repository, cache), lookups, remembered };
}

describe('SessionsService.resolve', () => {
  it('looks a token up by its hash once, and remembers the session with the mark taken before the lookup', async () => {
    const { service, lookups, remembered } = build(row);
    const resolved = await service.resolve('token');
    expect(lookups).toEqual([hashToken('token')]);
    expect(resolved?.user).toMatchObject({ id: 'u1', roles: ['intern'], facultyId: 'f1', active: true });
    expect(resolved?.session).toMatchObject({ id: 's1', userId: 'u1', csrfToken: 'c' });
    expect(remembered).toEqual([{ key: hashToken('token').toString('base64'), value: expect.objectContaining({ sessionId: 's1' }), mark: 7 }]);
  });

  it('answers from the cache without a lookup, and null for a token with no live session', async () => {
    const known: KnownSession = { sessionId: 's2', userId: 'u2', roles: ['admin'], facultyId: null, csrfToken: 'x', expiresAt: new Date(Date.now() + 60_000) };
    const cached = build(undefined, known);
    expect((await cached.service.resolve('token'))?.session.id).toBe('s2');
    expect(cached.lookups).toEqual([]);
    const unknown = build(undefined);
    expect(await unknown.service.resolve('token')).toBeNull();
    expect(unknown.remembered).toEqual([]);
  });
});
