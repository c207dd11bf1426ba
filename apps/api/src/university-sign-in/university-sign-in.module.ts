import { Module } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import type { ResolvedConfig } from '@carnet/infrastructure';
import { OidcConfigurations } from './oidc.client';
import { SingleLogoutController } from './single-logout.controller';
import { SingleLogoutService } from './single-logout.service';
import { UniversitySignInController } from './university-sign-in.controller';
import { UniversitySignInService } from './university-sign-in.service';

/** Sign-in through the university (CAS 3.0, OpenID Connect), per faculty, and single logout; sessions from AuthModule. */
@Module({
  controllers: [UniversitySignInController, SingleLogoutController],
  providers: [
    UniversitySignInService,
    SingleLogoutService,
    // One discovery per faculty and settings, shared by sign-in and logout.
    { provide: OidcConfigurations, useFactory: (config: ResolvedConfig) => new OidcConfigurations(config.env), inject: [CARNET_CONFIG] },
  ],
})
export class UniversitySignInModule {}
