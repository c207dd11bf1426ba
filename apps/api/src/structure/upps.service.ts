import { Injectable } from '@nestjs/common';
import { offsetOf, Page, pageOf, Transactions, Upp, UppRepository } from '@carnet/database';
import { DomainError, ErrorCode } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { isUniqueViolation } from '@carnet/database';
import { PageQuery } from '../common/paging';
import { CreateUppBody, UppView } from './upps.dto';

const view = (upp: Upp): UppView => ({ id: upp.id, code: upp.code, name: upp.name });

@Injectable()
export class UppsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly upps: UppRepository,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: CreateUppBody): Promise<UppView> {
    try {
      return await this.transactions.run(async (tx) => {
        const upp = await this.upps.create({ code: body.code, name: body.name.trim() }, tx);
        await this.audit.record(auth, { action: 'structure.upp_created', subjectType: 'upp', subjectId: upp.id, details: { code: upp.code } }, tx);
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
    const [rows, total] = await this.upps.page(offsetOf(query), query.pageSize);
    return pageOf(rows.map(view), total, query);
  }
}
