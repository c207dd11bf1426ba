import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@carnet/domain';

/** Who is calling, from where: handed by controllers to services (which check scope). */
export interface AuthContext {
  userId: string;
  roles: Role[];
  sessionId: string;
  ip: string | null;
  requestId: string | null;
}

/** Where a request comes from, for the audit log, signed in or not. */
export interface RequestOrigin {
  ip: string | null;
  requestId: string | null;
  userAgent: string | null;
}

export type AuthenticatedRequest = Request & { auth?: AuthContext; id?: string | number };

export const originOf = (request: AuthenticatedRequest): RequestOrigin => ({
  ip: request.ip ?? null,
  requestId: request.id === undefined ? null : String(request.id),
  userAgent: request.get('user-agent')?.slice(0, 300) ?? null,
});

/** The signed-in caller (set by the session guard). */
export const Auth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.auth) throw new Error('@Auth() used on a route without a signed-in caller');
  return request.auth;
});

/** The caller's origin, for public routes (login, password reset). */
export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): RequestOrigin =>
  originOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);

export const hasRole = (auth: AuthContext, role: Role) => auth.roles.includes(role);
