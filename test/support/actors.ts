import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Promotion, Tenancy, Upp, User } from '@carnet/database';
import type { Role } from '@carnet/domain';
import { hashPassword } from '../../apps/api/src/auth/auth.service';

export const PASSWORD = 'correct horse battery staple';

export interface Actor {
  user: User;
  email: string;
  token: string;
  /** `Authorization` header value. */
  bearer: string;
}

let cachedHash: Promise<string> | undefined;

/** A user straight in the database (the API under test is not needed to make one). */
export async function makeUser(
  dataSource: DataSource,
  options: { roles: Role[]; upp?: string; promotion?: number; email?: string; firstName?: string; lastName?: string; facultyId?: string },
): Promise<User> {
  // In a deployment of several faculties a row belongs to one: made in its scope, as a request would.
  if (options.facultyId && !Tenancy.current()) return Tenancy.run({ facultyId: options.facultyId }, () => makeUser(dataSource, options));
  cachedHash ??= hashPassword(PASSWORD);
  let uppId: string | null = null;
  if (options.upp) {
    await dataSource.createQueryBuilder().insert().into(Upp).values({ code: options.upp, name: options.upp }).orIgnore().execute();
    uppId = (await dataSource.getRepository(Upp).findOneByOrFail({ code: options.upp })).id;
  }
  const promotion = options.roles.includes('intern') ? (options.promotion ?? 2025) : null;
  if (promotion !== null) await dataSource.createQueryBuilder().insert().into(Promotion).values({ year: promotion }).orIgnore().execute();
  const suffix = randomBytes(4).toString('hex');
  const user = dataSource.getRepository(User).create({
    email: options.email ?? `${options.roles[0]}.${suffix}@dumg.test`,
    lastName: options.lastName ?? `Nom-${suffix}`,
    firstName: options.firstName ?? 'Camille',
    roles: options.roles,
    uppId,
    promotion,
    passwordHash: await cachedHash,
  });
  return dataSource.getRepository(User).save(user);
}

export async function login(http: TestAgent, email: string, password = PASSWORD): Promise<string> {
  const response = await http.post('/api/auth/login').send({ email, password });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.accessToken as string;
}

export async function actor(http: TestAgent, dataSource: DataSource, options: Parameters<typeof makeUser>[1]): Promise<Actor> {
  const user = await makeUser(dataSource, options);
  const token = await login(http, user.email);
  return { user, email: user.email, token, bearer: `Bearer ${token}` };
}
