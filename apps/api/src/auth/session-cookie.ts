import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './session.guard';
import { SESSION_LIFETIME_MS } from './sessions.service';

/** The session cookie, the same for every way of signing in (password, university, faculty switch). */
export function setSessionCookie(adapterHost: HttpAdapterHost, reply: FastifyReply, request: FastifyRequest, accessToken: string): void {
  adapterHost.httpAdapter.setCookie!(reply, SESSION_COOKIE, accessToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000), // in seconds here
  });
}
