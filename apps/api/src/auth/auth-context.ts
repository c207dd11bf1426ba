import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from '@carnet/domain';

/** Who is calling, from where: handed by controllers to services (which check scope). */
export interface AuthContext {
  userId: string;
  roles: Role[];
  /** The faculty the request works in: every statement it sends is sealed to it (ADR 0007). Null: the national operator. */
  facultyId: string | null;
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

export type AuthenticatedRequest = FastifyRequest & { auth?: AuthContext };

/** The request id is the one its log lines carry (`requestIdOf`). */
export const originOf = (request: FastifyRequest): RequestOrigin => ({
  ip: request.ip ?? null,
  requestId: request.id ?? null,
  userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
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
