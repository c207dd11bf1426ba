export function UsersSection() { return <section className="card"><h2>Utilisateurs</h2><p>Bientôt.</p></section>; }
