import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Session, User } from '@carnet/database';
import type { RequestOrigin } from './auth-context';
import { hashToken, newToken } from './tokens';

export const SESSION_LIFETIME_MS = 12 * 3600 * 1000;

export interface OpenedSession {
  session: Session;
  accessToken: string;
}

/** Server-side sessions behind opaque tokens: revocable at once, by logout or a password change. */
@Injectable()
export class SessionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async open(userId: string, origin: RequestOrigin, manager: EntityManager = this.dataSource.manager): Promise<OpenedSession> {
    const accessToken = newToken();
    const session = manager.create(Session, {
      userId,
      tokenHash: hashToken(accessToken),
      csrfToken: newToken(),
      expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
      revokedAt: null,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
    await manager.insert(Session, session);
    return { session, accessToken };
  }

  /** The live session and its active user behind a token, or null. */
  async resolve(token: string): Promise<{ session: Session; user: User } | null> {
    const session = await this.dataSource.getRepository(Session).findOne({
      where: { tokenHash: hashToken(token), revokedAt: IsNull() },
    });
    if (!session || session.expiresAt.getTime() <= Date.now()) return null;
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: session.userId, active: true } });
    return user ? { session, user } : null;
  }

  async csrfOf(sessionId: string): Promise<string | undefined> {
    return (await this.dataSource.getRepository(Session).findOneBy({ id: sessionId }))?.csrfToken;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.dataSource.getRepository(Session).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async revokeAll(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Session).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
