import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { PageQuery } from '../common/paging';
import { UuidPipe } from '../common/uuid.pipe';
import { AttendanceBody, GeptGroupBody, GeptMeetingBody, GeptMeetingPatchBody, TraceMeetingBody } from './gept.dto';
import { GeptService } from './gept.service';

@ApiTags('gept')
@Controller()
export class GeptController {
  constructor(private readonly gept: GeptService) {}

  @Post('gept-groups')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'A group: an MSU lead, 6 to 10 interns, a year; an intern is in one group a year (409).' })
  create(@Auth() auth: AuthContext, @Body() body: GeptGroupBody) {
    return this.gept.create(auth, body);
  }

  @Get('gept-groups')
  @AnyUser()
  @ApiOkResponse({ description: 'Paged: the groups the requester leads or belongs to; all of them for an admin.' })
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.gept.list(auth, query.page, query.pageSize);
  }

  @Get('gept-groups/:id')
  @AnyUser()
  @ApiOkResponse({ description: 'The group, its meetings and their cases, and the attendance (all of it for the lead and the admin, their own for an intern); 404 outside the group.' })
  get(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.gept.get(auth, id);
  }

  @Post('gept-groups/:id/meetings')
  @Roles('tutor')
  @ApiCreatedResponse({ description: 'The group with the meeting added (its lead only).' })
  addMeeting(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: GeptMeetingBody) {
    return this.gept.addMeeting(auth, id, body);
  }

  @Patch('gept-meetings/:id')
  @Roles('tutor')
  @ApiOkResponse({ description: 'The group with the meeting’s day or cases changed (its lead only).' })
  updateMeeting(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: GeptMeetingPatchBody) {
    return this.gept.updateMeeting(auth, id, body);
  }

  @Put('gept-meetings/:id/attendance/:internId')
  @Roles('tutor')
  @ApiOkResponse({ description: 'The meeting with the intern ticked present or absent (its lead only).' })
  mark(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Param('internId', UuidPipe) internId: string, @Body() body: AttendanceBody) {
    return this.gept.mark(auth, id, internId, body.present);
  }

  @Get('gept-meetings/:id/traces')
  @Roles('tutor')
  @ApiOkResponse({ description: 'The group’s gept traces linked to the meeting, submitted or further, for its lead, who comments on them through `POST /api/traces/:id/comments`; audited.' })
  traces(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.gept.linkedTraces(auth, id);
  }

  @Put('traces/:id/gept-meeting')
  @Roles('intern')
  @ApiOkResponse({ description: '`{ traceId, meetingId }`: the intern’s own gept trace linked to a meeting of their group (null unlinks).' })
  linkTrace(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: TraceMeetingBody) {
    return this.gept.linkTrace(auth, id, body.meetingId);
  }
}
