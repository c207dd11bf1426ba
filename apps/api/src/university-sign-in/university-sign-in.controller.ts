import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
// Nest's cookie reading, as the session guard does.
import { getRequestCookie } from '@nestjs/core/helpers/cookies/request-cookies.js';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Inject } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import { notFound } from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { Public, Roles } from '../auth/access.decorator';
import { Auth, AuthContext, Origin, RequestOrigin } from '../auth/auth-context';
import { AuthService } from '../auth/auth.service';
import { setSessionCookie } from '../auth/session-cookie';
import { LinkTokenBody, UniversitySignInBody } from './university-sign-in.dto';
import { FLOW_MINUTES, RefusalReason, UniversitySignInService } from './university-sign-in.service';

/** The browser's tie to its sign-in in progress; sent back on the university's top-level redirect (Lax). */
export const FLOW_COOKIE = 'carnet_university';
const FLOW_PATH = '/api/auth/university';

@ApiTags('auth')
@Controller()
export class UniversitySignInController {
  constructor(
    private readonly signIn: UniversitySignInService,
    private readonly auth: AuthService,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  @Get('auth/university')
  @Public()
  @ApiOkResponse({ description: '`{ providers: [{ faculty, facultyName, protocol, label, loginUrl, internPasswordsAllowed }] }`: the enabled university sign-ins, for the login page.' })
  async providers() {
    return { providers: await this.signIn.publicProviders() };
  }

  @Get('auth/university/:faculty/login')
  @Public()
  @ApiFoundResponse({ description: 'To the university’s login page (CAS `/login?service=` or the OpenID authorization endpoint with PKCE); sets the short-lived flow cookie.' })
  async login(@Param('faculty') faculty: string, @Query('returnTo') returnTo: unknown, @Origin() origin: RequestOrigin, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const started = await this.signIn.start(faculty, returnTo, origin);
    if (!started) throw notFound('Connexion universitaire');
    if (started.kind === 'refused') return this.backToLogin(reply, started.reason);
    this.adapterHost.httpAdapter.setCookie!(reply, FLOW_COOKIE, started.cookie, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure(request),
      path: FLOW_PATH,
      maxAge: FLOW_MINUTES * 60,
    });
    this.redirect(reply, started.location);
  }

  @Get('auth/university/:faculty/callback')
  @Public()
  @ApiFoundResponse({ description: 'Signed in (the `session` cookie) and back to `returnTo`; or to /liaison-universitaire?jeton= to confirm a first link; or to the login page with `?universite=<reason>`.' })
  async callback(@Param('faculty') faculty: string, @Query() query: Record<string, string | undefined>, @Origin() origin: RequestOrigin, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The address the university redirected to, as the OpenID client must compare it.
    const currentUrl = new URL(request.url, this.config.http.publicUrl);
    const outcome = await this.signIn.callback(faculty, query, currentUrl, getRequestCookie(request, FLOW_COOKIE), origin);
    if (!outcome) throw notFound('Connexion universitaire');
    if (outcome.kind === 'refused') return this.backToLogin(reply, outcome.reason);
    if (outcome.kind === 'link') return this.redirect(reply, `/liaison-universitaire?jeton=${encodeURIComponent(outcome.token)}`);
    setSessionCookie(this.adapterHost, reply, request, outcome.opened.accessToken);
    this.adapterHost.httpAdapter.clearCookie!(reply, FLOW_COOKIE, { path: FLOW_PATH });
    this.redirect(reply, outcome.returnTo);
  }

  @Post('auth/university/link/preview')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ subject, maskedEmail, facultyName }` of a link waiting for confirmation (from the browser that signed in at the university).' })
  preview(@Body() body: LinkTokenBody, @Req() request: FastifyRequest) {
    return this.signIn.preview(body.token, getRequestCookie(request, FLOW_COOKIE));
  }

  @Post('auth/university/link/confirm')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The identity is linked and the user signed in: `{ user, returnTo }` and the httpOnly `session` cookie. The token works once.' })
  async confirm(@Body() body: LinkTokenBody, @Origin() origin: RequestOrigin, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { accessToken, session, user, returnTo } = await this.signIn.confirm(body.token, getRequestCookie(request, FLOW_COOKIE), origin);
    setSessionCookie(this.adapterHost, reply, request, accessToken);
    this.adapterHost.httpAdapter.clearCookie!(reply, FLOW_COOKIE, { path: FLOW_PATH });
    return { user: await this.auth.describe(user, session.csrfToken), returnTo };
  }

  @Get('admin/university-sign-in')
  @Roles('admin')
  @ApiOkResponse({ description: 'The faculty’s university sign-in settings; the client secret only as `clientSecretSet`.' })
  view(@Auth() auth: AuthContext) {
    return this.signIn.view(auth);
  }

  @Put('admin/university-sign-in')
  @Roles('admin')
  @ApiOkResponse({ description: 'Saved (audited); the settings as GET answers them. 422 when an address is not http(s), or a secret is sent while CARNET_SECRET_KEY is unset.' })
  save(@Auth() auth: AuthContext, @Body() body: UniversitySignInBody) {
    return this.signIn.save(auth, body);
  }

  private secure(request: FastifyRequest): boolean {
    return request.protocol === 'https' || this.config.http.publicUrl.startsWith('https:');
  }


  private backToLogin(reply: FastifyReply, reason: RefusalReason): void {
    this.redirect(reply, `/?universite=${reason}`);
  }

  private redirect(reply: FastifyReply, location: string): void {
    void reply.code(302).header('Location', location).header('Cache-Control', 'no-store').send();
  }
}
