import { DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { PortfoliosModule } from './portfolios/portfolios.module';
import { PrivacyModule } from './privacy/privacy.module';
import { StagesModule } from './stages/stages.module';
import { StructureModule } from './structure/structure.module';
import { TracesModule } from './traces/traces.module';
import { TutorshipsModule } from './tutorships/tutorships.module';
import { UsersModule } from './users/users.module';
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
            genReqId: (request: IncomingMessage) => {
              const given = request.headers['x-request-id'];
              return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
            },
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            autoLogging: { ignore: (request) => request.url === '/api/health' },
          },
        }),
        InfrastructureModule.forRoot(config),
        ObservabilityModule,
        AuthModule,
        HealthModule,
        StructureModule,
        UsersModule,
        TutorshipsModule,
        TracesModule,
        ExportsModule,
        PortfoliosModule,
        StagesModule,
        PrivacyModule,
      ],
    };
  }
}
