import { isIP } from 'node:net';
import { z } from 'zod';

/** Empty strings count as unset: `FOO= npm start` must behave like no FOO at all. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const isAddressOrCidr = (entry: string) => {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

export const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    /** Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs); none by default. */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
      .refine((entries) => entries.every(isAddressOrCidr), 'must be comma-separated IP addresses or CIDRs (e.g. 10.0.0.5,192.168.0.0/16)'),
    PUBLIC_URL: optional(url(['http:', 'https:'])),
    DATA_DIR: z.string().default('./data'),
    DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATABASE_POOL_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
    DATABASE_NOTIFICATIONS: z.enum(['true', 'false']).default('true'),
    SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    REDIS_URL: optional(url(['redis:', 'rediss:'])),
    QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only').default('carnet'),
    QUEUE_POSTGRES_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier').default('bullmq'),
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    S3_ENDPOINT: optional(url(['http:', 'https:'])),
    S3_ACCESS_KEY: optional(z.string()),
    S3_SECRET_KEY: optional(z.string()),
    S3_BUCKET: optional(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')),
    S3_REGION: z.string().default('us-east-1'),
    SMTP_URL: optional(url(['smtp:', 'smtps:'])),
    MAIL_FROM: z.string().default('Carnet <no-reply@carnet.localhost>'),
    CARNET_ADMIN_EMAIL: optional(z.email('must be an e-mail address')),
    CARNET_ADMIN_PASSWORD: optional(z.string().min(12, 'must be at least 12 characters')),
    CARNET_OPERATOR_EMAIL: optional(z.email('must be an e-mail address')),
    CARNET_OPERATOR_PASSWORD: optional(z.string().min(12, 'must be at least 12 characters')),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(1),
    EXPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    EXPORT_RETRY_DELAY_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    PORTFOLIO_RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(10),
    EXTRA_FAMILLE: z.enum(['true', 'false']).default('false'),
    DUMG_NAME: z.string().min(1).max(200).default('Département de médecine générale'),
    /** The department's logo on the sign-in page and in the header: a PNG, JPEG, SVG or WebP file, served by the API. */
    CARNET_DEPARTMENT_LOGO: optional(z.string().regex(/\.(png|jpe?g|svg|webp)$/i, 'must be the path of a .png, .jpg, .svg or .webp file')),
    /** 32 random bytes in base64: the AES-256-GCM key of secrets stored in the database (university sign-in client secrets). */
    CARNET_SECRET_KEY: optional(z.string().refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER === 's3') {
      for (const key of ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when STORAGE_DRIVER=s3' });
      }
    }
    if (Boolean(env.CARNET_ADMIN_EMAIL) !== Boolean(env.CARNET_ADMIN_PASSWORD)) {
      const missing = env.CARNET_ADMIN_EMAIL ? 'CARNET_ADMIN_PASSWORD' : 'CARNET_ADMIN_EMAIL';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other CARNET_ADMIN_* variable is set' });
    }
    if (Boolean(env.CARNET_OPERATOR_EMAIL) !== Boolean(env.CARNET_OPERATOR_PASSWORD)) {
      const missing = env.CARNET_OPERATOR_EMAIL ? 'CARNET_OPERATOR_PASSWORD' : 'CARNET_OPERATOR_EMAIL';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other CARNET_OPERATOR_* variable is set' });
    }
    // /metrics answers whoever holds the token, and anyone without one: never that in production.
    if (env.NODE_ENV === 'production' && !env.METRICS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: 'is required when NODE_ENV=production (16 characters or more; /metrics would answer anyone)' });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;
