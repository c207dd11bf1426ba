import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { Attachment, OneTimeToken, Trace, Tutorship, User } from '@carnet/database';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Every piece of personal data about the caller, as JSON (article 15 and 20). */
  async export(auth: AuthContext): Promise<Record<string, unknown>> {
    const q = (sql: string) => this.dataSource.query(sql, [auth.userId]);
    const [profile] = await q(
      `SELECT u.id, u.email, u.last_name, u.first_name, u.roles, p.code AS upp, u.promotion, u.active, u.reminders_enabled, u.created_at
         FROM app_user u LEFT JOIN upp p ON p.id = u.upp_id WHERE u.id = $1`,
    );
    const data = {
      generatedAt: new Date().toISOString(),
      profile,
      tutorships: await q(`SELECT id, tutor_id, intern_id, promotion, started_at, ended_at, end_reason FROM tutorship WHERE tutor_id = $1 OR intern_id = $1 ORDER BY started_at`),
      traces: await q(`SELECT id, kind, title, content, competences, familles, stage_id, status, version, created_at, updated_at, submitted_at, validated_at, validated_by, validated_sha256 FROM trace WHERE intern_id = $1 ORDER BY created_at`),
      revisions: await q(`SELECT r.trace_id, r.number, r.title, r.content, r.sha256, r.created_at FROM trace_revision r JOIN trace t ON t.id = r.trace_id WHERE t.intern_id = $1 ORDER BY r.trace_id, r.number`),
      commentsWritten: await q(`SELECT id, trace_id, parent_id, body, anchor_quote, created_at, resolved_at FROM trace_comment WHERE author_id = $1 ORDER BY created_at`),
      attachments: await q(`SELECT a.id, a.trace_id, a.filename, a.mime_type, a.size, a.sha256, a.created_at FROM attachment a WHERE a.uploaded_by = $1 ORDER BY a.created_at`),
      assessments: await q(`SELECT id, intern_id, tutor_id, phase, levels, comment, recommendation, version, created_at, updated_at FROM assessment WHERE intern_id = $1 OR tutor_id = $1 ORDER BY created_at`),
      juryDecisionsAboutMe: await q(
        `SELECT d.decision, d.comment, d.created_at, s.title, s.phase FROM jury_decision d JOIN jury_session s ON s.id = d.session_id WHERE d.intern_id = $1 AND s.closes_at <= now()`,
      ),
      juryDecisionsTaken: await q(`SELECT session_id, intern_id, decision, comment, created_at FROM jury_decision WHERE member_id = $1`),
      stages: await q(
        `SELECT s.id, s.kind, s.semester, s.place, s.starts_on, s.ends_on FROM stage s WHERE s.intern_id = $1
         UNION SELECT s.id, s.kind, s.semester, s.place, s.starts_on, s.ends_on FROM stage s JOIN stage_supervisor ss ON ss.stage_id = s.id WHERE ss.tutor_id = $1`,
      ),
      difficultiesReported: await q(`SELECT stage_id, body, created_at FROM stage_difficulty WHERE reporter_id = $1`),
      exports: await q(`SELECT id, intern_id, format, scope, status, created_at FROM portfolio_export WHERE requested_by = $1 OR intern_id = $1`),
      activity: await q(`SELECT occurred_at, action, subject_type, subject_id, ip FROM audit_log WHERE actor_id = $1 ORDER BY occurred_at DESC LIMIT 5000`),
    };
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
    const { email, keys } = await this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw notFound('Utilisateur');
      const tag = randomBytes(4).toString('hex');
      const email = `anonyme-${tag}@carnet.invalid`;
      await manager.update(User, { id: userId }, { email, lastName: `Anonyme ${tag}`, firstName: 'Utilisateur', passwordHash: null, active: false, remindersEnabled: false });
      await this.sessions.revokeAll(userId, manager);
      await manager.delete(OneTimeToken, { userId });
      await manager.update(Tutorship, { tutorId: userId, endedAt: IsNull() }, { endedAt: new Date(), endReason: 'Compte anonymisé' });
      await manager.update(Tutorship, { internId: userId, endedAt: IsNull() }, { endedAt: new Date(), endReason: 'Compte anonymisé' });
      const drafts = await manager.getRepository(Trace).find({ where: { internId: userId, everSubmitted: false }, select: { id: true } });
      const attachments = drafts.length ? await manager.getRepository(Attachment).find({ where: drafts.map((d) => ({ traceId: d.id })) }) : [];
      if (drafts.length) await manager.delete(Trace, drafts.map((d) => d.id));
      await this.audit.record(auth, { action: 'user.anonymised', subjectType: 'user', subjectId: userId, details: { reason, draftsDeleted: drafts.length } }, manager);
      return { email, keys: attachments.map((a) => a.storageKey) };
    });
    // Files go once the rows are gone: a failure here leaves an orphan file, never a dangling row.
    await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
    return { id: userId, email };
  }
}
