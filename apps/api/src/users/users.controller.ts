import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { UuidPipe } from '../common/uuid.pipe';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { mediaTypeOf } from '../common/media-type';
import { ProblemException } from '../common/problem.filter';
import { CreateUserBody, ImportUsersQuery, ListInvitationsQuery, ListUsersQuery, UpdateUserBody } from './dto/users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('admin/invitations')
export class InvitationsController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ description: 'Paged: each active user’s latest invitation `{ userId, email, displayName, roles, status: sent|accepted|expired, sentAt, expiresAt, acceptedAt }`, newest first; `mailConfigured` false when no SMTP is configured (a re-send then answers the link).' })
  list(@Query() query: ListInvitationsQuery) {
    return this.users.invitations(query);
  }
}

@ApiTags('users')
@Controller('admin/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'email;lastName;firstName;role;upp;promotion\n' } })
  @ApiOkResponse({ description: '`{ created, updated, unchanged, errors: [{ line, message }], applied }`, and `warnings: [{ line, message }]` when some names will be neutralised (prefixed with a single quote) in the CSV exports; a file with errors imports nothing.' })
  import(@Auth() auth: AuthContext, @Query() query: ImportUsersQuery, @Req() request: FastifyRequest) {
    const type = mediaTypeOf(request);
    if (type !== 'text/csv' && type !== 'text/plain') {
      throw new ProblemException(415, 'Envoyez le fichier en text/csv (UTF-8, séparateur « , » ou « ; »).');
    }
    const body: unknown = request.body;
    if (typeof body !== 'string' || body.trim() === '') throw new ProblemException(400, 'Le fichier CSV est vide.');
    return this.users.import(auth, body, query.dryRun);
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({
    description: 'The user; without a password, an invitation mail is queued and `invitation: { expiresAt, mailed, link? }` added, `link` only when no SMTP is configured (the admin hands it over).',
  })
  create(@Auth() auth: AuthContext, @Body() body: CreateUserBody) {
    return this.users.create(auth, body);
  }

  @Get()
  @Roles('admin')
  list(@Query() query: ListUsersQuery) {
    return this.users.list(query);
  }

  @Get(':id')
  @Roles('admin')
  get(@Param('id', UuidPipe) id: string) {
    return this.users.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: UpdateUserBody) {
    return this.users.update(auth, id, body);
  }

  @Post(':id/invitation')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'A new invitation link, the previous one void: `{ expiresAt, mailed, link? }`; mailed when SMTP is configured, otherwise `link` is given for the admin to hand over.',
  })
  invite(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.users.invite(auth, id);
  }
}
