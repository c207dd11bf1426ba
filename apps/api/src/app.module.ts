import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { ExportsModule } from './exports/exports.module';
import { FacultiesModule } from './faculties/faculties.module';
import { GeptModule } from './gept/gept.module';
import { HealthModule } from './health/health.module';
import { JuriesModule } from './juries/juries.module';
import { ObservabilityModule } from './observability/observability.module';
import { PortfoliosModule } from './portfolios/portfolios.module';
import { PortfolioImportsModule } from './portfolio-imports/portfolio-imports.module';
import { PortfolioTransfersModule } from './portfolio-transfers/portfolio-transfers.module';
import { PrivacyModule } from './privacy/privacy.module';
import { StageEvaluationsModule } from './stage-evaluations/stage-evaluations.module';
import { StagesModule } from './stages/stages.module';
import { TeachingModule } from './teaching/teaching.module';
import { StructureModule } from './structure/structure.module';
import { ThesisModule } from './thesis/thesis.module';
import { TracesModule } from './traces/traces.module';
import { TutorshipsModule } from './tutorships/tutorships.module';
import { TutorMeetingsModule } from './tutor-meetings/tutor-meetings.module';
import { UsersModule } from './users/users.module';
import { UniversitySignInModule } from './university-sign-in/university-sign-in.module';
import { InfrastructureModule, ResolvedConfig } from '@carnet/infrastructure';

@Module({})
export class AppModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
          // No Nest middleware: the request log is a Fastify hook (observability/request-log.hook.ts).
          forRoutes: [],
        }),
        InfrastructureModule.forRoot(config),
        ObservabilityModule,
        AuthModule,
        FacultiesModule,
        HealthModule,
        StructureModule,
        UsersModule,
        TutorshipsModule,
        TracesModule,
        ExportsModule,
        PortfoliosModule,
        PortfolioImportsModule,
        JuriesModule,
        StagesModule,
        PrivacyModule,
        UniversitySignInModule,
        TutorMeetingsModule,
        ThesisModule,
        GeptModule,
        StageEvaluationsModule,
        TeachingModule,
        PortfolioTransfersModule,
      ],
    };
  }
}
