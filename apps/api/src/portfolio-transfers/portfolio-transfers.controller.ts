import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { AcceptPortfolioBody, ListPortfolioTransfersQuery, RefusePortfolioBody, ReleasePortfolioBody } from './portfolio-transfers.dto';
import { PortfolioTransfersService } from './portfolio-transfers.service';

@ApiTags('portfolio-transfers')
@Controller('admin/portfolio-transfers')
export class PortfolioTransfersController {
  constructor(private readonly transfers: PortfolioTransfersService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'A pending transfer of the intern’s portfolio to the faculty named by its code; audited in both faculties’ logs.' })
  @ApiNotFoundResponse({ description: 'Not an active intern of the caller’s faculty.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown, closed or own faculty.' })
  @ApiConflictResponse({ description: 'A transfer of this portfolio is already pending.' })
  release(@Auth() auth: AuthContext, @Body() body: ReleasePortfolioBody) {
    return this.transfers.release(auth, body);
  }

  @Get()
  @Roles('admin')
  @ApiOkResponse({ description: 'Paged, newest first: the transfers the caller’s faculty released (`outgoing`) or is offered (`incoming`), with names, addresses and counts, never content.' })
  list(@Auth() auth: AuthContext, @Query() query: ListPortfolioTransfersQuery) {
    return this.transfers.list(auth, query);
  }

  @Get('destinations')
  @Roles('admin')
  @ApiOkResponse({ description: 'The open faculties of the deployment a portfolio may be released to: `[{ code, name }]`, the caller’s own left out.' })
  destinations(@Auth() auth: AuthContext) {
    return this.transfers.destinations(auth);
  }

  @Post(':id/accept')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The portfolio moved onto the caller’s faculty’s intern of the same e-mail (or `internId`, which must be that person); the old row closed and signed out.' })
  @ApiConflictResponse({ description: 'Already decided; no intern of that e-mail here; an export of the portfolio is running.' })
  @ApiUnprocessableEntityResponse({ description: '`internId` is another person, or not an active intern.' })
  accept(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: AcceptPortfolioBody) {
    return this.transfers.accept(auth, id, body);
  }

  @Post(':id/refuse')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The receiving faculty declines; the portfolio stays.' })
  refuse(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: RefusePortfolioBody) {
    return this.transfers.refuse(auth, id, body.reason ?? null);
  }

  @Post(':id/cancel')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The releasing faculty withdraws a pending transfer.' })
  cancel(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.transfers.cancel(auth, id);
  }
}
