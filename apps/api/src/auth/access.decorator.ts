import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '@carnet/domain';

export const ACCESS = 'carnet:access';

/** Who may call a route. Every route declares one; the session guard refuses a route without. */
export type Access = { kind: 'public' } | { kind: 'user' } | { kind: 'roles'; roles: Role[] };

const declare = (access: Access) =>
  applyDecorators(SetMetadata(ACCESS, access), ApiExtension('x-access', access));

/** Anyone, signed in or not. */
export const Public = () => declare({ kind: 'public' });

/** Any signed-in user; the service decides what they may see. */
export const AnyUser = () =>
  applyDecorators(
    declare({ kind: 'user' }),
    ApiBearerAuth(),
    ApiCookieAuth('session'),
    ApiUnauthorizedResponse({ description: 'Not signed in.' }),
  );

/** Signed-in users holding at least one of `roles`; scope checks stay in the services. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    declare({ kind: 'roles', roles }),
    ApiBearerAuth(),
    ApiCookieAuth('session'),
    ApiUnauthorizedResponse({ description: 'Not signed in.' }),
    ApiForbiddenResponse({ description: `Reserved to: ${roles.join(', ')}.` }),
  );
