import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Upp } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { isUniqueViolation } from '../common/database-errors';
import { offsetOf, Page, PageQuery, pageOf } from '../common/paging';
import { CreateUppBody, UppView } from './upps.dto';

const view = (upp: Upp): UppView => ({ id: upp.id, code: upp.code, name: upp.name });

@Injectable()
export class UppsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: CreateUppBody): Promise<UppView> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const upp = manager.create(Upp, { code: body.code, name: body.name.trim() });
        await manager.save(upp);
        await this.audit.record(auth, { action: 'structure.upp_created', subjectType: 'upp', subjectId: upp.id, details: { code: upp.code } }, manager);
        return view(upp);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'upp_code_key')) {
        throw new DomainError(ErrorCode.DuplicateUpp, `Une UPP de code « ${body.code} » existe déjà.`, [{ path: 'code', message: 'déjà utilisé' }]);
      }
      throw error;
    }
  }

  async list(query: PageQuery): Promise<Page<UppView>> {
    const [rows, total] = await this.dataSource
      .getRepository(Upp)
      .findAndCount({ order: { name: 'ASC' }, skip: offsetOf(query), take: query.pageSize });
    return pageOf(rows.map(view), total, query);
  }
}
