import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const run = (entry: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(root, 'scripts/run.js'), path.join(root, entry)], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

describe('booting with bad configuration', () => {
  it.each(['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js', 'dist/apps/launcher/src/main.js'])(
    '%s stops with one line naming the variable',
    (entry) => {
      const result = run(entry, { PORT: '99999', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
      expect(result.status).toBe(78);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('PORT')]);
    },
  );

  it('the worker alone asks for DATABASE_URL', () => {
    const result = run('dist/apps/worker/src/main.js', {});
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL');
  });
});
