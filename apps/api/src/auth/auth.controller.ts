import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem.filter';
import { AnyUser, Public } from './access.decorator';
import { Auth, AuthContext, AuthenticatedRequest, Origin, RequestOrigin } from './auth-context';
import { AuthService, Me, TooManyAttemptsError } from './auth.service';
import { LoginBody, PasswordResetBody, PreferencesBody, SetPasswordBody } from './dto/auth.dto';
import { setSessionCookie } from './session-cookie';
import { SESSION_COOKIE } from './session.guard';
import { SessionsService } from './sessions.service';
import { SignOutRedirects } from './sign-out-redirects';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly signOutRedirects: SignOutRedirects,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ accessToken, user }` and the httpOnly `session` cookie.' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts for this account or address.' })
  async login(@Body() body: LoginBody, @Origin() origin: RequestOrigin, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const { accessToken, session, user } = await this.auth.login(body.email, body.password, origin);
      setSessionCookie(this.adapterHost, reply, request, accessToken);
      return { accessToken, user: await this.auth.describe(user, session.csrfToken) };
    } catch (error) {
      if (error instanceof TooManyAttemptsError) {
        reply.header('Retry-After', String(error.retryAfterSeconds));
        throw new ProblemException(429, error.message, undefined, 'too_many_attempts');
      }
      throw error;
    }
  }

  @Post('auth/logout')
  @AnyUser()
  @HttpCode(204)
  @ApiHeader({ name: 'Prefer', required: false, description: '`return=representation`: answer 200 `{ logoutUrl }` instead of 204.' })
  @ApiNoContentResponse({ description: 'The session is revoked; its token no longer works.' })
  @ApiOkResponse({
    description:
      'With `Prefer: return=representation`: the session is revoked as well, and `{ logoutUrl }` is where the browser goes next to end the university session that opened it (the OpenID provider’s `end_session_endpoint`, CAS `/logout`), or null: a password session, a provider without logout, or one not answering.',
  })
  async logout(@Auth() auth: AuthContext, @Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    // Carnet's session ends first, whatever becomes of the university's.
    await this.auth.logout(auth);
    this.adapterHost.httpAdapter.clearCookie!(reply, SESSION_COOKIE, { path: '/' });
    if (!/(^|[\s,;])return=representation(\s*[,;]|\s*$)/i.test(String(request.headers.prefer ?? ''))) return void reply.code(204).send();
    const logoutUrl = await this.signOutRedirects.after(auth.sessionId);
    void reply.code(200).header('Cache-Control', 'no-store').header('Preference-Applied', 'return=representation').send({ logoutUrl });
  }

  @Get('me')
  @AnyUser()
  @ApiOkResponse({ description: 'The signed-in user, with tutees or tutors, and the CSRF token of the session.' })
  async me(@Auth() auth: AuthContext): Promise<Me> {
    const resolved = await this.sessionCsrf(auth);
    return this.auth.me(auth, resolved);
  }

  @Patch('me/preferences')
  @AnyUser()
  @ApiOkResponse({ description: 'The signed-in user, preferences applied.' })
  async preferences(@Auth() auth: AuthContext, @Body() body: PreferencesBody): Promise<Me> {
    await this.auth.setPreferences(auth, body.reminders);
    return this.auth.me(auth);
  }

  @Post('auth/password-reset')
  @Public()
  @HttpCode(202)
  @ApiOkResponse({
    description: 'Accepted whether or not the address is known, before any lookup; a link is mailed if it is, at most 3 an hour per address and 10 per sender.',
  })
  requestReset(@Body() body: PasswordResetBody, @Origin() origin: RequestOrigin): { status: 'accepted' } {
    this.auth.requestPasswordReset(body.email, origin);
    return { status: 'accepted' };
  }

  @Post('auth/password')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set from an invitation or reset link; every session is signed out, and the httpOnly `session` cookie of a new one signs in whoever chose it.' })
  async setPassword(@Body() body: SetPasswordBody, @Origin() origin: RequestOrigin, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const opened = await this.auth.setPassword(body.token, body.password, origin);
    if (opened) setSessionCookie(this.adapterHost, reply, request, opened.accessToken);
  }


  private async sessionCsrf(auth: AuthContext): Promise<string | undefined> {
    return this.sessions.csrfOf(auth.sessionId);
  }
}
