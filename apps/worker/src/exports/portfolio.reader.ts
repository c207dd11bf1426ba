import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { CARNET_CONFIG, CarnetConfig, softwareVersion } from '@carnet/config';
import { Assessment, Attachment, exportedTraceFilter, PortfolioExport, PreparedStatements, Trace, Tutorship, Upp, User } from '@carnet/database';
import { displayName, Role } from '@carnet/domain';
import type { TiptapJson } from '@carnet/editor';
import { PortfolioAccess } from '@carnet/portfolio';
import { PortfolioData } from './portfolio';

/** Reads what an export contains, in the scope it was requested with. */
@Injectable()
export class PortfolioReader {
  private readonly access: PortfolioAccess;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
    statements: PreparedStatements,
  ) {
    this.access = new PortfolioAccess(statements);
  }

  /** Whether the requester may read the portfolio now (the API's rule), still active and in the same role. */
  async mayStillRead(request: PortfolioExport): Promise<boolean> {
    const requester = await this.dataSource.getRepository(User).findOneBy({ id: request.requestedBy, active: true });
    if (!requester) return false;
    const found = await this.access.relation({ userId: requester.id, roles: requester.roles as Role[] }, request.internId);
    return exportedTraceFilter(found?.relation ?? null, request.scope) !== null;
  }

  async read(request: PortfolioExport): Promise<PortfolioData> {
    const users = this.dataSource.getRepository(User);
    const intern = await users.findOneByOrFail({ id: request.internId });
    const upp = intern.uppId ? await this.dataSource.getRepository(Upp).findOneBy({ id: intern.uppId }) : null;
    const tutorships = await this.dataSource.getRepository(Tutorship).find({
      where: { internId: intern.id },
      relations: { tutor: true },
      order: { startedAt: 'ASC' },
    });
    // `mayStillRead` let through "all" for the intern and their tutor only: anyone else is the tutor.
    const statuses = exportedTraceFilter(request.requestedBy === intern.id ? 'self' : 'tutor', request.scope) ?? {};
    const traces = await this.dataSource.getRepository(Trace).find({
      where: { internId: intern.id, ...statuses },
      order: { validatedAt: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC' },
    });
    const attachments = traces.length
      ? await this.dataSource.getRepository(Attachment).find({ where: { traceId: In(traces.map((t) => t.id)) }, order: { createdAt: 'ASC' } })
      : [];
    const assessments = await this.dataSource.getRepository(Assessment).find({ where: { internId: intern.id }, order: { createdAt: 'ASC' } });
    const validatorIds = [...new Set([...traces.map((t) => t.validatedBy), ...assessments.map((a) => a.tutorId)].filter((id): id is string => Boolean(id)))];
    const validators = new Map((validatorIds.length ? await users.findBy({ id: In(validatorIds) }) : []).map((u) => [u.id, displayName(u)]));

    const [faculty] = (await this.dataSource.query(`SELECT f.code, f.name FROM faculty f JOIN portfolio_export e ON e.faculty_id = f.id WHERE e.id = $1`, [request.id])) as { code: string; name: string }[];

    return {
      dumgName: this.config.dumgName,
      origin: { deployment: this.config.http.publicUrl, faculty: { code: faculty?.code ?? '', name: faculty?.name ?? this.config.dumgName } },
      generatedAt: new Date().toISOString(),
      scope: request.scope,
      softwareVersion: softwareVersion(),
      intern: { id: intern.id, displayName: displayName(intern), email: intern.email, promotion: intern.promotion, upp: upp?.name ?? null },
      assessments: assessments.map((a) => ({
        phase: a.phase,
        tutor: validators.get(a.tutorId) ?? '',
        levels: a.levels as Record<string, string>,
        comment: a.comment,
        recommendation: a.recommendation,
        updatedAt: a.updatedAt.toISOString(),
      })),
      tutors: tutorships.map((t) => ({ displayName: displayName(t.tutor!), since: t.startedAt.toISOString(), until: t.endedAt?.toISOString() ?? null })),
      traces: traces.map((t) => ({
        id: t.id,
        kind: t.kind,
        title: t.title,
        status: t.status,
        competences: t.competences,
        familles: t.familles,
        createdAt: t.createdAt.toISOString(),
        submittedAt: t.submittedAt?.toISOString() ?? null,
        validatedAt: t.validatedAt?.toISOString() ?? null,
        // An imported trace's validator is the origin's, known by name only (ADR 0008).
        validatedBy: t.validatedBy ? (validators.get(t.validatedBy) ?? null) : (t.importedOrigin?.validator ?? null),
        validatedSha256: t.validatedSha256,
        importedFrom: t.importedOrigin
          ? { faculty: t.importedOrigin.faculty.name, deployment: t.importedOrigin.deployment, validator: t.importedOrigin.validator, validatedAt: t.importedOrigin.validatedAt, sha256: t.importedOrigin.sha256, signed: t.importedOrigin.signed }
          : null,
        content: t.content as TiptapJson,
        attachments: attachments
          .filter((a) => a.traceId === t.id)
          .map((a) => ({ id: a.id, filename: a.filename, size: a.size, sha256: a.sha256, mimeType: a.mimeType, storageKey: a.storageKey })),
      })),
    };
  }
}
