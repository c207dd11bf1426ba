import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { PrivacyService } from './privacy.service';

export class AnonymiseBody {
  @ApiProperty({ example: 'Fin du DES, départ du département' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

@ApiTags('privacy')
@Controller()
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get('me/data')
  @AnyUser()
  @ApiOkResponse({ description: 'All personal data about the caller, as a JSON file.' })
  async data(@Auth() auth: AuthContext, @Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('Content-Disposition', `attachment; filename="carnet-mes-donnees-${new Date().toISOString().slice(0, 10)}.json"`);
    return this.privacy.export(auth);
  }

  @Post('admin/users/:id/anonymise')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The user is anonymised; validated work is kept until the retention purge.' })
  anonymise(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: AnonymiseBody) {
    return this.privacy.anonymise(auth, id, body.reason);
  }
}
