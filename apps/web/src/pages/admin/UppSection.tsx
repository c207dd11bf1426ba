export function UppSection() { return <section className="card"><h2>UPP</h2><p>Bientôt.</p></section>; }
