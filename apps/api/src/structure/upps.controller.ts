import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { PageQuery } from '../common/paging';
import { CreateUppBody } from './upps.dto';
import { UppsService } from './upps.service';

@ApiTags('structure')
@Controller()
export class UppsController {
  constructor(private readonly upps: UppsService) {}

  @Post('admin/upps')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'The UPP.' })
  @ApiConflictResponse({ description: 'The code is taken.' })
  create(@Auth() auth: AuthContext, @Body() body: CreateUppBody) {
    return this.upps.create(auth, body);
  }

  @Get('upps')
  @AnyUser()
  list(@Query() query: PageQuery) {
    return this.upps.list(query);
  }
}
