import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { AuditService } from './audit.service';
import { ListAuditQuery } from './dto/audit.dto';

@ApiTags('audit')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  list(@Query() query: ListAuditQuery) {
    return this.audit.list(query);
  }
}
