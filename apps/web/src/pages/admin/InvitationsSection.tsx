export function InvitationsSection() { return <section className="card"><h2>Invitations</h2><p>Bientôt.</p></section>; }
