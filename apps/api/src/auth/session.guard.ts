import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Reflector } from '@nestjs/core';
// Nest's cookie reading (the one `@Cookies()` uses): parsed once per request, on any adapter.
import { getRequestCookie } from '@nestjs/core/helpers/cookies/request-cookies.js';
import { DomainError, ErrorCode } from '@carnet/domain';
import { Access, ACCESS } from './access.decorator';
import { AuthenticatedRequest, originOf } from './auth-context';
import { SessionsService } from './sessions.service';
import { sameSecret } from './tokens';

export const SESSION_COOKIE = 'session';
export const CSRF_HEADER = 'x-csrf-token';
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller's token, from `Authorization: Bearer` or else the session cookie; `bearer` tells which. */
export function credentialsOf(request: FastifyRequest): { token?: string; bearer: boolean } {
  const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return { token: bearer ?? getRequestCookie(request, SESSION_COOKIE), bearer: bearer !== undefined };
}

/**
 * Global guard: resolves the caller from `Authorization: Bearer` or the `session` cookie, then
 * applies the route's declared access. A route that declares nothing is refused (fail closed).
 * Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token`; bearer
 * tokens are never sent by the browser on its own, so they need no such proof.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (!access) throw new Error(`Route ${context.getClass().name}.${context.getHandler().name} declares no access rule`);
    if (access.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { token, bearer } = credentialsOf(request);
    const resolved = token ? await this.sessions.resolve(token) : null;
    if (!resolved) throw new DomainError(ErrorCode.Unauthenticated, 'Connectez-vous pour continuer.');

    if (!bearer && !SAFE_METHODS.has(request.method)) {
      const proof = request.headers[CSRF_HEADER];
      if (typeof proof !== 'string' || !sameSecret(proof, resolved.session.csrfToken)) {
        throw new DomainError(ErrorCode.Forbidden, 'Jeton CSRF manquant ou invalide : rechargez la page.');
      }
    }

    const origin = originOf(request);
    request.auth = {
      userId: resolved.user.id,
      roles: resolved.user.roles,
      facultyId: resolved.user.facultyId,
      sessionId: resolved.session.id,
      ip: origin.ip,
      requestId: origin.requestId,
    };
    if (access.kind === 'roles' && !access.roles.some((role) => resolved.user.roles.includes(role))) {
      throw new DomainError(ErrorCode.Forbidden, 'Votre rôle ne permet pas cette action.');
    }
    return true;
  }
}
