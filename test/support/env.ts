// Loaded before every test file: quiet logs, and the services the tests talk to.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
