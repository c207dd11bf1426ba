import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.decorator';
import { SingleLogoutService } from './single-logout.service';

/**
 * The university's servers signing a person out of Carnet: form posts from the provider, not the
 * browser (the only form bodies the API reads, see bootstrap). No CSRF proof applies: what
 * authenticates them is the provider's signature (OpenID) or the service ticket (CAS).
 */
@ApiTags('auth')
@Controller()
export class SingleLogoutController {
  constructor(private readonly singleLogout: SingleLogoutService) {}

  @Post('auth/university/:faculty/backchannel-logout')
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'OpenID Connect Back-Channel Logout 1.0: `logout_token` verified; the sessions this faculty’s provider opened for its sid or sub are revoked.' })
  @ApiBadRequestResponse({ description: 'The logout token is not verifiable (signature, issuer, audience, age, event, nonce, replayed jti): nothing changes.' })
  async backChannel(@Param('faculty') faculty: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    reply.header('Cache-Control', 'no-store');
    await this.singleLogout.backChannelLogout(faculty, body);
  }

  @Post('auth/university/:faculty/callback')
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOkResponse({ description: 'CAS single logout: `logoutRequest`, a SAML LogoutRequest whose SessionIndex is the service ticket; the session this faculty’s CAS opened with it is revoked.' })
  @ApiBadRequestResponse({ description: 'No session of this faculty was opened with that ticket, or the request is malformed: nothing changes.' })
  async casLogout(@Param('faculty') faculty: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    reply.header('Cache-Control', 'no-store');
    await this.singleLogout.casSingleLogout(faculty, body);
  }
}
