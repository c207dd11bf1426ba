import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { CommentsService } from './comments.service';
import { CreateCommentBody } from './dto/traces.dto';

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get('traces/:id/comments')
  @Roles('intern', 'tutor', 'jury')
  list(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.comments.list(auth, id);
  }

  @Post('traces/:id/comments')
  @Roles('intern', 'tutor')
  @ApiCreatedResponse({ description: 'The comment; `anchor` ties it to a quoted passage. By the intern, their active tutor, or on a `gept` write-up linked to a meeting of their group the GEPT lead; 404 for anyone else, 403 for a past tutor.' })
  create(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: CreateCommentBody) {
    return this.comments.create(auth, id, body);
  }

  @Post('comments/:id/resolve')
  @Roles('intern', 'tutor')
  @HttpCode(200)
  resolve(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.comments.resolve(auth, id);
  }
}
