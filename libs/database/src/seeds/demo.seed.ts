import argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { Promotion, Tutorship, Upp, User } from '../entities';

export const DEMO_PASSWORD = 'carnet-demo-2026';

const UPPS: [string, string][] = [
  ['montpellier', 'Montpellier'],
  ['beziers', 'Béziers'],
  ['narbonne', 'Narbonne'],
  ['nimes', 'Nîmes-Alès-Bagnols-sur-Cèze + Lozère'],
  ['perpignan', 'Perpignan'],
];

// [email, lastName, firstName, upp, promotion]
const INTERNS: [string, string, string, string, number][] = [
  ['claire.fabre@demo.carnet.fr', 'Fabre', 'Claire', 'montpellier', 2025],
  ['yanis.haddad@demo.carnet.fr', 'Haddad', 'Yanis', 'montpellier', 2026],
  ['lea.roux@demo.carnet.fr', 'Roux', 'Léa', 'beziers', 2025],
  ['theo.marchal@demo.carnet.fr', 'Marchal', 'Théo', 'nimes', 2026],
  ['ines.benoit@demo.carnet.fr', 'Benoît', 'Inès', 'perpignan', 2026],
  ['mathis.giraud@demo.carnet.fr', 'Giraud', 'Mathis', 'narbonne', 2025],
];
// [email, lastName, firstName, upp, tutee emails]
const TUTORS: [string, string, string, string, string[]][] = [
  ['anne.vidal@demo.carnet.fr', 'Vidal', 'Anne', 'montpellier', ['claire.fabre@demo.carnet.fr', 'yanis.haddad@demo.carnet.fr']],
  ['paul.esteve@demo.carnet.fr', 'Estève', 'Paul', 'montpellier', []],
  ['marie.salles@demo.carnet.fr', 'Sallès', 'Marie', 'beziers', ['lea.roux@demo.carnet.fr']],
  ['jean.cazals@demo.carnet.fr', 'Cazals', 'Jean', 'nimes', ['theo.marchal@demo.carnet.fr']],
  ['sophie.aubert@demo.carnet.fr', 'Aubert', 'Sophie', 'perpignan', ['ines.benoit@demo.carnet.fr']],
  ['marc.py@demo.carnet.fr', 'Py', 'Marc', 'narbonne', ['mathis.giraud@demo.carnet.fr']],
];

export interface DemoLogin {
  role: string;
  email: string;
}

/**
 * A small DUMG to log into: the five UPP of the Montpellier-Nîmes seed, two promotions, six
 * interns with their tutors, a jury member, an admin. Running it twice changes nothing.
 */
export async function seedDemo(dataSource: DataSource): Promise<DemoLogin[]> {
  const passwordHash = await argon2.hash(DEMO_PASSWORD, { type: argon2.argon2id });
  await dataSource.transaction(async (manager) => {
    await manager.createQueryBuilder().insert().into(Upp).values(UPPS.map(([code, name]) => ({ code, name }))).orIgnore().execute();
    await manager.createQueryBuilder().insert().into(Promotion).values([{ year: 2025 }, { year: 2026 }]).orIgnore().execute();
    const uppId = new Map((await manager.find(Upp)).map((u) => [u.code, u.id]));
    const people = [
      ...INTERNS.map(([email, lastName, firstName, upp, promotion]) => ({ email, lastName, firstName, roles: ['intern' as const], uppId: uppId.get(upp)!, promotion })),
      ...TUTORS.map(([email, lastName, firstName, upp]) => ({ email, lastName, firstName, roles: ['tutor' as const], uppId: uppId.get(upp)!, promotion: null })),
      { email: 'luc.ferrand@demo.carnet.fr', lastName: 'Ferrand', firstName: 'Luc', roles: ['tutor' as const, 'jury' as const], uppId: uppId.get('montpellier')!, promotion: null },
      { email: 'nadia.bessiere@demo.carnet.fr', lastName: 'Bessière', firstName: 'Nadia', roles: ['admin' as const], uppId: uppId.get('montpellier')!, promotion: null },
    ];
    await manager.createQueryBuilder().insert().into(User).values(people.map((p) => ({ ...p, passwordHash }))).orIgnore().execute();
    const byEmail = new Map((await manager.find(User)).map((u) => [u.email, u]));
    for (const [tutorEmail, , , , tutees] of TUTORS) {
      for (const internEmail of tutees) {
        const intern = byEmail.get(internEmail)!;
        await manager
          .createQueryBuilder()
          .insert()
          .into(Tutorship)
          .values({ tutorId: byEmail.get(tutorEmail)!.id, internId: intern.id, promotion: intern.promotion! })
          .orIgnore()
          .execute();
      }
    }
  });
  return [
    { role: 'admin (DUMG)', email: 'nadia.bessiere@demo.carnet.fr' },
    { role: 'interne, promotion 2025', email: 'claire.fabre@demo.carnet.fr' },
    { role: 'tuteur (MSU) de Claire Fabre et Yanis Haddad', email: 'anne.vidal@demo.carnet.fr' },
    { role: 'membre de jury', email: 'luc.ferrand@demo.carnet.fr' },
  ];
}
