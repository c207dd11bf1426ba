import { Module } from '@nestjs/common';
import { UniversitySignInController } from './university-sign-in.controller';
import { UniversitySignInService } from './university-sign-in.service';

/** Sign-in through the university (CAS 3.0, OpenID Connect), per faculty; sessions from AuthModule. */
@Module({ controllers: [UniversitySignInController], providers: [UniversitySignInService] })
export class UniversitySignInModule {}
