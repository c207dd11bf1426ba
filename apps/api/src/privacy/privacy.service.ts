import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AttachmentRepository, OneTimeTokenRepository, PrivacyRepository, Transactions, UserRepository } from '@carnet/database';
import { DomainError, ErrorCode, notFound } from '@carnet/domain';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { SessionsService } from '../auth/sessions.service';

/**
 * The GDPR rights: everyone downloads their own data; the DUMG anonymises a user who has left,
 * keeping what the DES validation requires (validated and reviewed traces, decisions) until the
 * retention purge; both audited.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly transactions: Transactions,
    private readonly privacy: PrivacyRepository,
    private readonly attachments: AttachmentRepository,
    private readonly users: UserRepository,
    private readonly links: OneTimeTokenRepository,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Every piece of personal data about the caller, as JSON (article 15 and 20). */
  async export(auth: AuthContext): Promise<Record<string, unknown>> {
    const { profile, ...rest } = await this.privacy.personalData(auth.userId);
    const data = { generatedAt: new Date().toISOString(), profile, ...rest };
    await this.audit.record(auth, { action: 'privacy.data_exported', subjectType: 'user', subjectId: auth.userId });
    return data;
  }

  /**
   * Anonymises a user who has left: identity replaced, account closed, sessions and links
   * revoked, active tutorships ended, unsubmitted drafts (working notes) deleted. What the DES
   * validation needs stays, under the anonymous name, until the retention purge.
   */
  async anonymise(auth: AuthContext, userId: string, reason: string): Promise<{ id: string; email: string }> {
    if (userId === auth.userId) throw new DomainError(ErrorCode.Conflict, 'Vous ne pouvez pas anonymiser votre propre compte.');
    const { email, keys } = await this.transactions.run(async (tx) => {
      const user = await this.users.findForUpdate(userId, tx);
      if (!user) throw notFound('Utilisateur');
      const tag = randomBytes(4).toString('hex');
      const email = `anonyme-${tag}@carnet.invalid`;
      await this.users.update(userId, { email, lastName: `Anonyme ${tag}`, firstName: 'Utilisateur', passwordHash: null, active: false, remindersEnabled: false }, tx);
      await this.sessions.revokeAll(userId, tx);
      await this.links.deleteAllOf(userId, tx);
      await this.privacy.endTutorshipsOf(userId, 'Compte anonymisé', tx);
      const drafts = await this.privacy.draftIdsOf(userId, tx);
      const attachments = await this.attachments.ofTraces(drafts, tx);
      await this.privacy.deleteTraces(drafts, tx);
      await this.audit.record(auth, { action: 'user.anonymised', subjectType: 'user', subjectId: userId, details: { reason, draftsDeleted: drafts.length } }, tx);
      return { email, keys: attachments.map((a) => a.storageKey) };
    });
    // Files go once the rows are gone: a failure here leaves an orphan file, never a dangling row.
    await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
    return { id: userId, email };
  }
}
