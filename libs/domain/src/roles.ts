/** The roles a person holds in a faculty (a faculty admin assigns them). */
export const ROLES = ['intern', 'tutor', 'jury', 'admin'] as const;
export type FacultyRole = (typeof ROLES)[number];
/** The national operator creates faculties and sees their counts, never their content: a role in no faculty. */
export const OPERATOR = 'operator';
export type Role = FacultyRole | typeof OPERATOR;

export const ROLE_LABELS: { readonly [R in FacultyRole]: string } = {
  intern: 'interne',
  tutor: 'tuteur (MSU)',
  jury: 'membre de jury',
  admin: 'administration (DUMG)',
};

export const isRole = (value: string): value is FacultyRole => (ROLES as readonly string[]).includes(value);

export const displayName = (user: { firstName: string; lastName: string }) => `${user.firstName} ${user.lastName}`;
