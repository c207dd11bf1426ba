export function RequirementsSection() { return <section className="card"><h2>Exigences</h2><p>Bientôt.</p></section>; }
