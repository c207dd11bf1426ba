import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.queue.redisUrl).toBeUndefined();
    expect(config.storage).toEqual({ driver: 'local', root: expect.stringMatching(/data[/\\]objects$/) });
    expect(config.firstAdmin).toBeUndefined();
    expect(config.databasePoolIdleSeconds).toBe(600);
    expect(config.sessionCacheSeconds).toBe(60);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_POOL_IDLE_SECONDS: '0' }, 'DATABASE_POOL_IDLE_SECONDS'],
    [{ SESSION_CACHE_SECONDS: '-1' }, 'SESSION_CACHE_SECONDS'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ STORAGE_DRIVER: 'ftp' }, 'STORAGE_DRIVER'],
    [{ STORAGE_DRIVER: 's3', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' }, 'S3_BUCKET'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ CARNET_ADMIN_EMAIL: 'admin@dumg.fr' }, 'CARNET_ADMIN_PASSWORD'],
    [{ CARNET_ADMIN_EMAIL: 'not-an-email', CARNET_ADMIN_PASSWORD: 'long enough password' }, 'CARNET_ADMIN_EMAIL'],
  ])('refuses %j with one line naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(variable);
      expect(message).not.toContain('\n');
    }
  });

  it('refuses to start in production without METRICS_TOKEN (/metrics would answer anyone), in one line naming it', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', HOST: '127.0.0.1' }, { NODE_ENV: 'production', METRICS_TOKEN: '' }]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/^[^\n]*METRICS_TOKEN[^\n]*NODE_ENV=production[^\n]*$/);
    }
    expect(() => loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 'un-jeton-de-metriques-assez-long' })).not.toThrow();
  });

  it('still starts without METRICS_TOKEN in development, on the default HOST 0.0.0.0 as `npm start` does', () => {
    expect(() => loadConfig({})).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'test' })).not.toThrow();
  });

  it('never echoes a secret it refuses', () => {
    expect(() => loadConfig({ CARNET_ADMIN_EMAIL: 'a@b.fr', CARNET_ADMIN_PASSWORD: 'short' })).toThrow(
      /CARNET_ADMIN_PASSWORD .*\*\*\*/,
    );
  });

  it('reads the S3 settings when the driver is s3', () => {
    const config = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY: 'carnet',
      S3_SECRET_KEY: 'secret',
      S3_BUCKET: 'carnet-files',
    });
    expect(config.storage).toMatchObject({ driver: 's3', bucket: 'carnet-files', endpoint: 'http://minio:9000' });
  });
});
