export const ROLES = ['intern', 'tutor', 'jury', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: { readonly [R in Role]: string } = {
  intern: 'interne',
  tutor: 'tuteur (MSU)',
  jury: 'membre de jury',
  admin: 'administration (DUMG)',
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export const displayName = (user: { firstName: string; lastName: string }) => `${user.firstName} ${user.lastName}`;
