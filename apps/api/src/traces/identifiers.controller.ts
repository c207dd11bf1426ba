import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IDENTIFIER_KINDS, IdentifierKind } from '@carnet/domain';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { IdentifiersService } from './identifiers.service';

export class ReplacedIdentifierBody {
  @ApiProperty({ enum: IDENTIFIER_KINDS })
  @IsIn(IDENTIFIER_KINDS, { message: `type d’identifiant inconnu (${IDENTIFIER_KINDS.join(', ')})` })
  kind!: IdentifierKind;
}

@ApiTags('traces')
@Controller('traces/:id/identifiers')
export class IdentifiersController {
  constructor(private readonly identifiers: IdentifiersService) {}

  @Get()
  @Roles('intern', 'tutor')
  @ApiOkResponse({ description: '`{ warnings, replaced }`: what the scan finds in the saved text, and how many findings the intern replaced, by kind.' })
  report(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.identifiers.report(auth, id);
  }

  @Post('replaced')
  @Roles('intern')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Records that the author replaced a finding of this kind (the passage itself is not sent).' })
  replaced(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: ReplacedIdentifierBody) {
    return this.identifiers.replaced(auth, id, body.kind);
  }
}
