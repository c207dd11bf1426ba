export function AuditSection() { return <section className="card"><h2>Journal d'audit</h2><p>Bientôt.</p></section>; }
