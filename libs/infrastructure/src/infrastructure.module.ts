import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { dataSourceOptions, installTenancy, migrate, PreparedStatements, REPOSITORIES } from '@carnet/database';
import { createQueueBackend, JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { createStorageDriver, STORAGE_DRIVER } from '@carnet/storage';

/** A configuration whose database is resolved (the embedded one has been started by then). */
export type ResolvedConfig = CarnetConfig & { databaseUrl: string };

/**
 * The outside world, built once from the validated configuration: PostgreSQL (migrated under an
 * advisory lock before anything else runs), the storage driver, and the queue producer.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(JOB_PRODUCER) private readonly producer: JobProducer) {}

  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config.databaseUrl, config.databasePoolSize, config.databasePoolIdleSeconds),
          dataSourceFactory: async (options) => {
            const dataSource = installTenancy(new DataSource(options!));
            await dataSource.initialize();
            await migrate(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [
        { provide: CARNET_CONFIG, useValue: config },
        { provide: PreparedStatements, useFactory: (dataSource: DataSource) => new PreparedStatements(dataSource, config.databasePreparedStatements), inject: [getDataSourceToken()] },
        ...REPOSITORIES,
        { provide: STORAGE_DRIVER, useFactory: () => createStorageDriver(config.storage) },
        {
          provide: JOB_PRODUCER,
          useFactory: () => {
            const logger = new Logger('JobProducer');
            return new JobProducer(
              createQueueBackend({
                redisUrl: config.queue.redisUrl,
                databaseUrl: config.databaseUrl,
                prefix: config.queue.prefix,
                postgresSchema: config.queue.postgresSchema,
                notifications: config.queue.notifications,
              }),
              (error) => logger.warn(`queue connection: ${error.message}`),
            );
          },
        },
      ],
      exports: [CARNET_CONFIG, STORAGE_DRIVER, JOB_PRODUCER, PreparedStatements, ...REPOSITORIES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
  }
}
