import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { Tenancy } from '@carnet/database';
import type { AuthenticatedRequest } from './auth-context';

/**
 * Runs a signed-in request's handler in its faculty's scope: every statement it sends, through
 * whatever service, runs as `carnet_app` with the faculty set for its transaction, so that
 * row-level security holds even where a query forgot its faculty (ADR 0007). Public routes
 * (sign-in, a link's first use) run as the system and find their user themselves.
 */
@Injectable()
export class TenancyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
    if (!auth) return next.handle();
    // Nest binds the handler to the async context next.handle() is called in.
    return Tenancy.run({ facultyId: auth.facultyId }, () => next.handle());
  }
}
