export function StagesSection() { return <section className="card"><h2>Stages</h2><p>Bientôt.</p></section>; }
