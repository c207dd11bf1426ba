import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CARNET_CONFIG } from '@carnet/config';
import { OneTimeToken, OneTimeTokenRepository, OneTimeTokenRow, TokenPurpose, Tx, User } from '@carnet/database';
import { ResolvedConfig } from '@carnet/infrastructure';
import { mailTemplates } from '@carnet/mail';
import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { hashToken, newToken } from './tokens';

export const INVITATION_DAYS = 14;
export const RESET_MINUTES = 60;

/** A link just issued: its address exists only here, the database keeps its hash. */
export interface IssuedLink {
  userId: string;
  url: string;
  expiresAt: Date;
}

/** Single-use links by mail: the first password of an imported user, or a reset. */
@Injectable()
export class OneTimeTokensService {
  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    private readonly links: OneTimeTokenRepository,
  ) {}

  /**
   * Whether mails leave the machine (SMTP_URL). Without it nobody receives the links, so the admin
   * is handed the invitation link to pass on instead.
   */
  get mailConfigured(): boolean {
    return Boolean(this.config.mail.smtpUrl);
  }

  /** Issues a link (voiding earlier unused ones of the same purpose); returns it and how to send its mail. */
  async issue(tx: Tx, user: User, purpose: TokenPurpose): Promise<{ send: () => Promise<void>; link: IssuedLink }> {
    const { send, links } = await this.issueMany(tx, [user], purpose);
    return { send, link: links[0] };
  }

  /**
   * Issues one link per user in a few statements (an import invites thousands at once). The mails
   * are queued by `send`, to be called after the transaction commits: a rolled-back import sends nothing.
   */
  async issueMany(tx: Tx, users: User[], purpose: TokenPurpose): Promise<{ send: () => Promise<void>; links: IssuedLink[] }> {
    if (users.length === 0) return { send: async () => undefined, links: [] };
    await this.links.voidUnused(users.map((u) => u.id), purpose, tx);
    const lifetime = purpose === 'invitation' ? INVITATION_DAYS * 86400_000 : RESET_MINUTES * 60_000;
    const issued = users.map((user) => {
      const token = newToken();
      const row: OneTimeTokenRow = {
        id: randomUUID(),
        userId: user.id,
        purpose,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + lifetime),
        usedAt: null,
      };
      const url = `${this.config.http.publicUrl}/mot-de-passe?jeton=${encodeURIComponent(token)}`;
      const mail =
        purpose === 'invitation'
          ? mailTemplates.invitation(user.email, user.firstName, url, INVITATION_DAYS)
          : mailTemplates.passwordReset(user.email, user.firstName, url, RESET_MINUTES);
      return { row, mail, url };
    });
    await this.links.insertMany(issued.map((x) => x.row), tx);
    return {
      links: issued.map(({ row, url }) => ({ userId: row.userId, url, expiresAt: row.expiresAt })),
      send: () => this.jobs.enqueueMany('mail.send', issued.map(({ row, mail }) => ({ payload: mail, jobId: `mail-${row.id}` }))),
    };
  }

  /** Consumes a valid link, or returns null (unknown, used or expired: the same answer). */
  async consume(tx: Tx, token: string): Promise<OneTimeToken | null> {
    const row = await this.links.findUnusedForUpdate(hashToken(token), tx);
    if (!row || row.expiresAt.getTime() <= Date.now()) return null;
    await this.links.markUsed(row.id, tx);
    return row;
  }
}
