import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The shape of the code, checked: the apps depend on the libraries and never the reverse, and
 * `libs/database` is the one place SQL is written (its repositories; migrations and the access
 * rule's translation beside them). A service sends no statement: it calls repositories.
 */
const ROOT = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** What writes or sends SQL, or reaches the database around the repositories. */
const PERSISTENCE: [string, RegExp][] = [
  ['imports TypeORM', /from '(typeorm|@nestjs\/typeorm)(\/[^']*)?'/],
  ['sends a statement', /\.(query|execute)\s*[<(]/],
  ['uses a TypeORM repository or query builder', /\b(getRepository|createQueryBuilder)\s*\(/],
  ['writes SQL', /\b(SELECT\s+[\w"*(]|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+(\w+\s+)?SET)\b/],
];

/** Outside the database library, only the module that builds the data source for both apps touches TypeORM. */
const ALLOWED: Record<string, string[]> = {
  'libs/infrastructure/src/infrastructure.module.ts': ['imports TypeORM'],
};

describe('architecture', () => {
  it('writes SQL only in libs/database: no app or other library sends a statement', () => {
    const files = [...sources('apps'), ...sources('libs').filter((file) => !file.startsWith(join('libs', 'database')))];
    const offenders = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return PERSISTENCE.filter(([what, pattern]) => pattern.test(text) && !(ALLOWED[file] ?? []).includes(what)).map(([what]) => `${file}: ${what}`);
    });
    expect(offenders).toEqual([]);
  });

  it('has the apps depend on the libraries, never a library on an app', () => {
    const offenders = sources('libs').filter((file) => /from '(\.\.\/)+apps\//.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders.map((file) => relative(ROOT, join(ROOT, file)))).toEqual([]);
  });
});
