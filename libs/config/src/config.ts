import path from 'node:path';
import { environmentSchema } from './config.schema';

export interface CarnetConfig {
  env: 'development' | 'production' | 'test';
  http: { port: number; host: string; publicUrl: string };
  /** Proxies whose X-Forwarded-For gives the client's address (TRUSTED_PROXIES); empty: the peer is the client. */
  trustedProxies: string[];
  dataDir: string;
  /** Unset means the embedded PostgreSQL (PGlite) under `<dataDir>/pg`. */
  databaseUrl?: string;
  databasePoolSize: number;
  /** How long an unused pool connection is kept open. */
  databasePoolIdleSeconds: number;
  /** Hot reads sent as named prepared statements (off on the embedded PGlite, and behind a pooler in transaction mode). */
  databasePreparedStatements: boolean;
  /** How long an API process trusts a session it looked up (revocations still reach it at once); 0: every request looks it up. */
  sessionCacheSeconds: number;
  queue: {
    redisUrl?: string;
    prefix: string;
    concurrency: number;
    postgresSchema: string;
    lockDurationMs: number;
    /** Whether LISTEN/NOTIFY crosses connections (not on the embedded PGlite): idle workers poll without it. */
    notifications: boolean;
  };
  exports: { concurrency: number; retentionDays: number; retryDelayMs: number };
  dumgName: string;
  /** The department's logo file (CARNET_DEPARTMENT_LOGO), shown on the sign-in page. */
  departmentLogo?: string;
  /** A twelfth famille de situations, "hors des onze familles", for departments that use one. */
  extraFamille: boolean;
  metrics: { token?: string; port: number };
  /** Years a departed intern's validated portfolio is kept before the purge. */
  portfolioRetentionYears: number;
  storage:
    | { driver: 'local'; root: string }
    | { driver: 's3'; endpoint: string; accessKey: string; secretKey: string; bucket: string; region: string };
  /** Without smtpUrl, mails are logged; their text (with its links) only outside production. */
  mail: { smtpUrl?: string; from: string; logContent: boolean };
  firstAdmin?: { email: string; password: string };
  /** The national operator (creates faculties, sees their counts), made at start when none exists. */
  operator?: { email: string; password: string };
  /** CARNET_SECRET_KEY decoded: encrypts secrets kept in the database; without it none can be stored. */
  secretKey?: Buffer;
  logLevel: string;
}

/** Bad configuration: the message is one line naming the variable, fit to print before exiting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): CarnetConfig {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue.path.join('.') || 'environment';
    const received = issue.path.length ? source[String(issue.path[0])] : undefined;
    const shown = received === undefined ? '' : ` (got "${redact(variable, received)}")`;
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    http: { port: env.PORT, host: env.HOST, publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '') },
    trustedProxies: env.TRUSTED_PROXIES,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databasePoolIdleSeconds: env.DATABASE_POOL_IDLE_SECONDS,
    databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS === 'true',
    sessionCacheSeconds: env.SESSION_CACHE_SECONDS,
    queue: {
      redisUrl: env.REDIS_URL,
      prefix: env.QUEUE_PREFIX,
      concurrency: env.WORKER_CONCURRENCY,
      postgresSchema: env.QUEUE_POSTGRES_SCHEMA,
      lockDurationMs: env.QUEUE_LOCK_DURATION_MS,
      notifications: env.DATABASE_NOTIFICATIONS === 'true',
    },
    exports: { concurrency: env.EXPORT_CONCURRENCY, retentionDays: env.EXPORT_RETENTION_DAYS, retryDelayMs: env.EXPORT_RETRY_DELAY_MS },
    dumgName: env.DUMG_NAME,
    departmentLogo: env.CARNET_DEPARTMENT_LOGO ? path.resolve(env.CARNET_DEPARTMENT_LOGO) : undefined,
    extraFamille: env.EXTRA_FAMILLE === 'true',
    metrics: { token: env.METRICS_TOKEN, port: env.METRICS_PORT },
    portfolioRetentionYears: env.PORTFOLIO_RETENTION_YEARS,
    storage:
      env.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3',
            endpoint: env.S3_ENDPOINT!,
            accessKey: env.S3_ACCESS_KEY!,
            secretKey: env.S3_SECRET_KEY!,
            bucket: env.S3_BUCKET!,
            region: env.S3_REGION,
          }
        : { driver: 'local', root: path.join(dataDir, 'objects') },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, logContent: env.NODE_ENV !== 'production' },
    firstAdmin:
      env.CARNET_ADMIN_EMAIL && env.CARNET_ADMIN_PASSWORD
        ? { email: env.CARNET_ADMIN_EMAIL, password: env.CARNET_ADMIN_PASSWORD }
        : undefined,
    operator:
      env.CARNET_OPERATOR_EMAIL && env.CARNET_OPERATOR_PASSWORD
        ? { email: env.CARNET_OPERATOR_EMAIL.toLowerCase(), password: env.CARNET_OPERATOR_PASSWORD }
        : undefined,
    secretKey: env.CARNET_SECRET_KEY ? Buffer.from(env.CARNET_SECRET_KEY, 'base64') : undefined,
    logLevel: env.LOG_LEVEL,
  };
}

function redact(variable: string, value: string): string {
  return /SECRET|PASSWORD|KEY/.test(variable) ? '***' : value.slice(0, 80);
}

/** For the `main` of each process: print the one line and exit non-zero. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): CarnetConfig {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

export const CARNET_CONFIG = Symbol('CARNET_CONFIG');
