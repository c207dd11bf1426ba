import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateMeetingBody, UpdateMeetingBody } from './tutor-meetings.dto';
import { TutorMeetingsService } from './tutor-meetings.service';

@ApiTags('tutor meetings')
@Controller()
export class TutorMeetingsController {
  constructor(private readonly meetings: TutorMeetingsService) {}

  @Get('portfolios/:internId/meetings')
  @Roles('intern', 'tutor', 'jury', 'admin')
  @ApiOkResponse({ description: 'The intern’s tutor meetings, newest first, and the count of co-signed ones (in all, in the last 12 months). A former tutor sees those of their tutorship.' })
  list(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    return this.meetings.list(auth, internId);
  }

  @Post('portfolios/:internId/meetings')
  @Roles('intern', 'tutor')
  @ApiCreatedResponse({ description: 'The meeting, confirmed by the one who recorded it (the intern or their active tutor).' })
  create(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string, @Body() body: CreateMeetingBody) {
    return this.meetings.create(auth, internId, body);
  }

  @Patch('meetings/:id')
  @Roles('intern', 'tutor')
  @ApiOkResponse({ description: 'The edited meeting: the editor’s confirmation renewed, the other party’s withdrawn.' })
  @ApiConflictResponse({ description: 'Co-signed: immutable.' })
  update(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: UpdateMeetingBody) {
    return this.meetings.update(auth, id, body);
  }

  @Post('meetings/:id/confirm')
  @HttpCode(200)
  @Roles('intern', 'tutor')
  @ApiOkResponse({ description: 'The meeting confirmed by the requester; co-signed when both have.' })
  @ApiConflictResponse({ description: 'Already confirmed by the requester, or co-signed.' })
  confirm(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.meetings.confirm(auth, id);
  }
}
