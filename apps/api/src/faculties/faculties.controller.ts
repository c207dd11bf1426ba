import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext, AuthenticatedRequest, Origin, RequestOrigin } from '../auth/auth-context';
import { AuthService } from '../auth/auth.service';
import { setSessionCookie } from '../auth/session-cookie';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateFacultyBody, SwitchFacultyBody, UpdateFacultyBody } from './faculties.dto';
import { FacultiesService } from './faculties.service';

@ApiTags('faculties')
@Controller()
export class FacultiesController {
  constructor(
    private readonly faculties: FacultiesService,
    private readonly auth: AuthService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post('session/faculty')
  @AnyUser()
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ accessToken, user }` of a new session in that faculty (and its cookie); the current session is revoked.' })
  @ApiNotFoundResponse({ description: 'Not a faculty the caller is an active member of.' })
  async switchFaculty(
    @Auth() auth: AuthContext,
    @Body() body: SwitchFacultyBody,
    @Origin() origin: RequestOrigin,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { accessToken, session, user } = await this.faculties.switchTo(auth, body.facultyId, origin);
    setSessionCookie(this.adapterHost, reply, request, accessToken);
    return { accessToken, user: await this.auth.describe(user, session.csrfToken) };
  }

  @Get('operator/faculties')
  @Roles('operator')
  @ApiOkResponse({ description: 'Every faculty with its counts (members by role, traces, exports); no member’s name, no content.' })
  list() {
    return this.faculties.list();
  }

  @Post('operator/faculties')
  @Roles('operator')
  @ApiCreatedResponse({ description: 'The faculty and its first admin (invited; `invitationLink` when no SMTP is configured).' })
  @ApiConflictResponse({ description: 'The code is taken.' })
  create(@Auth() auth: AuthContext, @Body() body: CreateFacultyBody) {
    return this.faculties.create(auth, body);
  }

  @Patch('operator/faculties/:id')
  @Roles('operator')
  @ApiOkResponse({ description: 'The faculty renamed, closed (its members signed out, nothing deleted) or reopened.' })
  update(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: UpdateFacultyBody) {
    return this.faculties.update(auth, id, body);
  }
}
