import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { CreateTutorshipBody, EndTutorshipBody, ListTutorshipsQuery } from './dto/tutorships.dto';
import { TutorshipsService } from './tutorships.service';

@ApiTags('tutorships')
@Controller('tutorships')
export class TutorshipsController {
  constructor(private readonly tutorships: TutorshipsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'The tutorship.' })
  @ApiConflictResponse({ description: 'The tutor already tutors an intern of this promotion, or the intern already has a tutor.' })
  @ApiUnprocessableEntityResponse({ description: 'The roles do not fit.' })
  create(@Auth() auth: AuthContext, @Body() body: CreateTutorshipBody) {
    return this.tutorships.create(auth, body.tutorId, body.internId);
  }

  @Post(':id/end')
  @Roles('admin')
  @HttpCode(200)
  end(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: EndTutorshipBody) {
    return this.tutorships.end(auth, id, body.reason);
  }

  @Get()
  @Roles('admin')
  list(@Query() query: ListTutorshipsQuery) {
    return this.tutorships.list(query);
  }
}
