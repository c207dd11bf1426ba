import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from '../audit/audit.controller';
import { AuditService } from '../audit/audit.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { OneTimeTokensService } from './one-time-tokens.service';
import { SessionCache } from './session-cache';
import { SessionGuard } from './session.guard';
import { SessionsService } from './sessions.service';
import { SignOutRedirects } from './sign-out-redirects';
import { TenancyInterceptor } from './tenancy.interceptor';

@Global()
@Module({
  controllers: [AuthController, AuditController],
  providers: [AuthService, SessionsService, SignOutRedirects, SessionCache, OneTimeTokensService, AuditService, { provide: APP_GUARD, useClass: SessionGuard }, { provide: APP_INTERCEPTOR, useClass: TenancyInterceptor }],
  exports: [AuthService, SessionsService, SignOutRedirects, OneTimeTokensService, AuditService],
})
export class AuthModule {}
