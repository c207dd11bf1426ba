/**
 * bench/seed: a national data set, deterministic for a seed, in bulk (unnest arrays, not one
 * call per row), through the project's own migrations.
 *
 *   npm run bench:seed -- --interns 500            (database carnet_bench_500 on the local server)
 *   npm run bench:seed -- --interns 16000 --seed 7 --alumni 5
 *
 * 35 DUMG, each a faculty (`dumg1`…`dumg35`; the deployment's first faculty becomes `dumg1`)
 * with 4 UPP and its own requirements; every row carries its faculty, set here since the seed
 * writes as the tables' owner, outside any faculty's scope (ADR 0007). Four promotions in the DES (`--interns` in all), and `--alumni` graduated
 * promotions before them (default 5, as many interns each): their accounts closed, their
 * portfolios kept for the retention period, as a deployment holds them after a few years.
 * Interns and MSU with the tutorship rules respected, stages, traces from short entries to
 * 10-page RSCAs with tables (~25 a year; one intern in 200 has written 200; statuses in
 * realistic proportions), revisions, comments, the reviewers the product records,
 * assessments, jury sessions, each within its faculty (an MSU tutors and sits on juries in the
 * faculty of their UPP). Prints rows per table, size, time.
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '@carnet/database';
import { canonicalJson, plainText, rscaTemplate, sha256Hex, validateDocument } from '@carnet/editor';
import { AUDIT_ROLLUP_SQL } from '@carnet/database';
import { BENCH_PASSWORD } from './support/bench-system';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const INTERNS = option('interns', 500);
const SEED = option('seed', 42);
const ALUMNI = option('alumni', 5);
const FACULTIES = 35;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const benchDatabaseName = (interns: number) => `carnet_bench_${interns}`;

/** mulberry32: small, fast, deterministic. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
const uuid = () => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

const fixture = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const SENTENCES = [
  'Une patiente de 54 ans consulte pour un renouvellement de traitement antihypertenseur et évoque une fatigue persistante.',
  'Les enfants vaccinés selon le calendrier ont été revus avec leurs parents, inquiets des effets indésirables.',
  'Un homme diabétique insulinotraité se présente avec une plaie du pied négligée depuis trois semaines.',
  'La demande de certificat d’arrêt de travail masquait une souffrance au travail que nous avons explorée ensemble.',
  'Une adolescente vient seule pour une demande de contraception ; la question de la confidentialité s’est posée.',
  'Visite à domicile chez un patient âgé polypathologique : coordination avec l’infirmière et le kinésithérapeute.',
  'Consultation non programmée pour une douleur thoracique atypique, électrocardiogramme réalisé au cabinet.',
  'Un patient d’une autre culture et son interprète : difficultés de compréhension du traitement proposé.',
];
const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

/** Three sizes of trace, prepared once (validated, canonical, with their text and hash). */
function templates() {
  const make = (doc: unknown) => {
    const { node, json } = validateDocument(doc);
    return { json: JSON.stringify(json), text: plainText(node), sha: sha256Hex(canonicalJson(json)) };
  };
  return {
    short: SENTENCES.map((s, i) => make({ type: 'doc', content: [paragraph(s), paragraph(SENTENCES[(i + 3) % SENTENCES.length])] })),
    medium: SENTENCES.map((s) => make({ type: 'doc', content: [...rscaTemplate().content!.slice(0, 2), ...Array.from({ length: 12 }, (_, i) => paragraph(`${s} ${SENTENCES[i % SENTENCES.length]}`))] })),
    long: [make({ type: 'doc', content: [0, 1, 2, 3].flatMap(() => fixture.content.content) })],
  };
}

/** Multi-row insert through unnest; array-typed columns travel as text and are cast back. */
async function insert(client: Client, table: string, columns: [string, string][], rows: unknown[][]): Promise<void> {
  const params = columns.map(([, type]) => (type.endsWith('[]') ? 'text' : type));
  const select = columns.map(([name, type]) => (type.endsWith('[]') ? `${name}::${type}` : name)).join(', ');
  for (let i = 0; i < rows.length; i += 2000) {
    const batch = rows.slice(i, i + 2000);
    const arrays = columns.map((_, c) => batch.map((row) => row[c]));
    await client.query(
      `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')})
       SELECT ${select} FROM unnest(${params.map((type, c) => `$${c + 1}::${type}[]`).join(', ')}) AS u(${columns.map(([name]) => name).join(', ')})`,
      arrays,
    );
  }
}

/**
 * The audit log a deployment keeps of these portfolios, in time order as it was written: each
 * trace created, submitted, read by the tutor the next day, validated (about 3.5 entries a trace).
 */
const AUDIT_LOG_SQL = `
  INSERT INTO audit_log (faculty_id, occurred_at, actor_id, action, subject_type, subject_id, details)
  SELECT t.faculty_id, e.at, e.actor, e.action, 'trace', t.id::text, e.details
    FROM trace t
    LEFT JOIN LATERAL (SELECT tutor_id FROM tutorship ts WHERE ts.intern_id = t.intern_id ORDER BY ts.started_at DESC LIMIT 1) ts ON true
   CROSS JOIN LATERAL (VALUES
     (t.created_at, t.intern_id, 'trace.created', jsonb_build_object('kind', t.kind)),
     (t.submitted_at, t.intern_id, 'trace.submitted', jsonb_build_object('revision', 1)),
     (t.submitted_at + interval '1 day', ts.tutor_id, 'trace.read', '{"as":"tutor"}'::jsonb),
     (t.validated_at, t.validated_by, 'trace.validated', '{}'::jsonb)) e(at, actor, action, details)
   WHERE e.at IS NOT NULL AND e.at < now()
   ORDER BY e.at`;

async function main(): Promise<void> {
  const started = Date.now();
  const name = benchDatabaseName(INTERNS);
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const migrated = await openDatabase(url.toString(), 2);
  await migrated.destroy();
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id });
  const t = templates();
  const PROMOTIONS = [2023, 2024, 2025, 2026];
  // Graduated promotions: a three-year DES (before the 2023 reform added the docteur junior year).
  const GRADUATED = Array.from({ length: ALUMNI }, (_, i) => 2023 - ALUMNI + i);
  const graduation = (promotion: number) => Date.UTC(promotion + 3, 10, 1);
  const now = Date.now();
  const day = 86400_000;

  // Structure: 35 faculties × 4 UPP. The migrations' one faculty becomes dumg1 under an id of
  // the seed's (its rows, the default requirements, move to it); the others get its requirements.
  const faculties = Array.from({ length: FACULTIES }, (_, f) => [uuid(), `dumg${f + 1}`, `DUMG ${f + 1}`]);
  const [{ id: first }] = (await client.query(`SELECT id FROM faculty ORDER BY created_at LIMIT 1`)).rows;
  await insert(client, 'faculty', [['id', 'uuid'], ['code', 'text'], ['name', 'text']], faculties);
  const keyed = (await client.query(`SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'faculty_id' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')`)).rows;
  for (const { table_name: table } of keyed) await client.query(`UPDATE ${table} SET faculty_id = $1 WHERE faculty_id = $2`, [faculties[0][0], first]);
  await client.query(`DELETE FROM faculty WHERE id = $1`, [first]);
  await client.query(`INSERT INTO phase_requirement (faculty_id, phase, version, rules) SELECT f.id, r.phase, r.version, r.rules FROM phase_requirement r, faculty f WHERE r.faculty_id = $1 AND f.id <> $1 ORDER BY f.code, r.phase, r.version`, [faculties[0][0]]);
  const facultyOf = new Map<string, string>();
  const upps = Array.from({ length: FACULTIES * 4 }, (_, i) => {
    const row = [uuid(), `dumg${Math.floor(i / 4) + 1}-upp${(i % 4) + 1}`, `DUMG ${Math.floor(i / 4) + 1}, UPP ${(i % 4) + 1}`, faculties[Math.floor(i / 4)][0]];
    facultyOf.set(row[0] as string, row[3] as string);
    return row;
  });
  await insert(client, 'upp', [['id', 'uuid'], ['code', 'text'], ['name', 'text'], ['faculty_id', 'uuid']], upps);
  await insert(client, 'promotion', [['year', 'int']], [...GRADUATED, ...PROMOTIONS].map((y) => [y]));

  const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'Estève', 'Sallès', 'Benoît'];
  const FIRST = ['Claire', 'Yanis', 'Léa', 'Théo', 'Inès', 'Mathis', 'Chloé', 'Lucas', 'Manon', 'Hugo', 'Éloïse', 'Jules'];
  const users: unknown[][] = [];
  const interns: { id: string; promotion: number; upp: string; faculty: string; graduated: boolean }[] = [];
  const perPromotion = Math.ceil(INTERNS / 4);
  for (let i = 0; i < INTERNS + perPromotion * ALUMNI; i++) {
    const id = uuid();
    const graduated = i >= INTERNS;
    const promotion = graduated ? GRADUATED[(i - INTERNS) % ALUMNI] : PROMOTIONS[i % 4];
    const upp = upps[i % upps.length][0] as string;
    const faculty = facultyOf.get(upp)!;
    interns.push({ id, promotion, upp, faculty, graduated });
    users.push([id, graduated ? `ancien${i - INTERNS}@bench.carnet.fr` : `interne${i}@bench.carnet.fr`, pick(LAST), pick(FIRST), ['intern'], upp, promotion, hash, !graduated, faculty]);
  }
  // At least one MSU a UPP, so that every faculty of a small data set has its tutors.
  const tutorCount = Math.max(Math.ceil(INTERNS * 0.75), upps.length);
  // Each faculty's MSU, in order; one in 20 of a faculty's also sits on its juries.
  const tutorsOf = new Map<string, string[]>();
  const juriesOf = new Map<string, string[]>();
  for (let i = 0; i < tutorCount; i++) {
    const id = uuid();
    const upp = upps[i % upps.length][0] as string;
    const faculty = facultyOf.get(upp)!;
    const mine = tutorsOf.get(faculty) ?? [];
    tutorsOf.set(faculty, [...mine, id]);
    const jury = mine.length % 20 === 0;
    if (jury) juriesOf.set(faculty, [...(juriesOf.get(faculty) ?? []), id]);
    users.push([id, `msu${i}@bench.carnet.fr`, pick(LAST), pick(FIRST), jury ? ['tutor', 'jury'] : ['tutor'], upp, null, hash, true, faculty]);
  }
  // The bench's admin is one faculty's (dumg1's), as every admin now is.
  const adminId = uuid();
  users.push([adminId, 'admin@bench.carnet.fr', 'Bessière', 'Nadia', ['admin'], null, null, hash, true, faculties[0][0]]);
  await insert(client, 'app_user', [['id', 'uuid'], ['email', 'text'], ['last_name', 'text'], ['first_name', 'text'], ['roles', 'text[]'], ['upp_id', 'uuid'], ['promotion', 'int'], ['password_hash', 'text'], ['active', 'bool'], ['faculty_id', 'uuid']], users.map((u) => [...u.slice(0, 4), `{${(u[4] as string[]).join(',')}}`, ...u.slice(5)]));

  // Tutorships: the k-th intern of a promotion in a faculty goes to the faculty's k-th MSU: one per promotion each.
  const seen = new Map<string, number>();
  const tutorOf = new Map<string, string>();
  const tutorships = interns.map((intern) => {
    const key = `${intern.faculty} ${intern.promotion}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const theirs = tutorsOf.get(intern.faculty)!;
    const tutor = theirs[k % theirs.length];
    tutorOf.set(intern.id, tutor);
    const ended = intern.graduated ? new Date(graduation(intern.promotion)) : null;
    return [uuid(), tutor, intern.id, intern.promotion, new Date(Date.UTC(intern.promotion, 10, 2)), ended, ended && 'Fin du DES', intern.faculty];
  });
  await insert(client, 'tutorship', [['id', 'uuid'], ['tutor_id', 'uuid'], ['intern_id', 'uuid'], ['promotion', 'int'], ['started_at', 'timestamptz'], ['ended_at', 'timestamptz'], ['end_reason', 'text'], ['faculty_id', 'uuid']], tutorships);

  // Stages: one per semester done.
  const stages: unknown[][] = [];
  const KINDS = ['praticien_n1', 'urgences', 'medecine_adulte', 'gyneco_pediatrie', 'libre', 'saspas'];
  for (const intern of interns) {
    const semesters = intern.graduated ? 6 : Math.min(8, (2026 - intern.promotion) * 2 + 1);
    for (let s = 1; s <= semesters; s++) {
      const start = new Date(Date.UTC(intern.promotion, 10, 2) + (s - 1) * 182 * day).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(intern.promotion, 10, 2) + s * 182 * day - day).toISOString().slice(0, 10);
      stages.push([uuid(), intern.id, KINDS[(s - 1) % KINDS.length], s, start, end, intern.faculty]);
    }
  }
  await insert(client, 'stage', [['id', 'uuid'], ['intern_id', 'uuid'], ['kind', 'text'], ['semester', 'int'], ['starts_on', 'date'], ['ends_on', 'date'], ['faculty_id', 'uuid']], stages);

  // Traces: ~25 a year in the DES; 15 % drafts, 10 % submitted, 5 % changes requested, 70 % validated.
  const COMPETENCES = ['premier_recours', 'relation', 'approche_globale', 'education', 'continuite', 'professionnalisme'];
  const FAMILLES = ['chronique', 'aigu', 'urgence', 'enfant_adolescent', 'sexualite', 'famille_couple', 'travail', 'medico_legal', 'patient_difficile', 'social', 'autre_culture'];
  const traces: unknown[][] = [];
  const revisions: unknown[][] = [];
  const comments: unknown[][] = [];
  const reviewers: unknown[][] = [];
  let traceCount = 0;
  const flush = async () => {
    await insert(client, 'trace', [['id', 'uuid'], ['intern_id', 'uuid'], ['kind', 'text'], ['title', 'text'], ['content', 'jsonb'], ['content_text', 'text'], ['competences', 'text[]'], ['familles', 'text[]'], ['status', 'text'], ['version', 'int'], ['ever_submitted', 'bool'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['submitted_at', 'timestamptz'], ['validated_at', 'timestamptz'], ['validated_by', 'uuid'], ['validated_sha256', 'text'], ['faculty_id', 'uuid']], traces);
    await insert(client, 'trace_revision', [['trace_id', 'uuid'], ['number', 'int'], ['kind', 'text'], ['title', 'text'], ['content', 'jsonb'], ['competences', 'text[]'], ['familles', 'text[]'], ['sha256', 'text'], ['created_by', 'uuid'], ['faculty_id', 'uuid']], revisions);
    await insert(client, 'trace_comment', [['trace_id', 'uuid'], ['author_id', 'uuid'], ['body', 'text'], ['anchor_from', 'int'], ['anchor_to', 'int'], ['anchor_quote', 'text'], ['faculty_id', 'uuid']], comments);
    await insert(client, 'trace_reviewer', [['trace_id', 'uuid'], ['tutor_id', 'uuid'], ['faculty_id', 'uuid']], reviewers);
    traceCount += traces.length;
    traces.length = 0;
    revisions.length = 0;
    comments.length = 0;
    reviewers.length = 0;
  };
  for (const [i, intern] of interns.entries()) {
    const start = Date.UTC(intern.promotion, 10, 2);
    const end = intern.graduated ? graduation(intern.promotion) : now;
    // One intern in 200 (all in the oldest promotion in the DES) writes much more: exactly 200
    // traces, the portfolio the progress benchmark reads.
    const prolific = !intern.graduated && i % 200 === 0;
    const count = prolific ? 200 : Math.max(3, Math.round(((end - start) / (365.25 * day)) * 25 * (0.7 + rand() * 0.6)));
    for (let n = 0; n < count; n++) {
      const r = rand();
      const size = r < 0.1 ? 'long' : r < 0.4 ? 'medium' : 'short';
      const template = pick(t[size]);
      const kind = size === 'long' ? 'rsca' : pick(['trace', 'trace', 'trace', 'gept', 'stage_review', 'other']);
      const s = rand();
      // A graduate's portfolio was reviewed to the end: what is not validated is an abandoned draft.
      const status = intern.graduated ? (s < 0.08 ? 'draft' : 'validated') : s < 0.15 ? 'draft' : s < 0.25 ? 'submitted' : s < 0.3 ? 'changes_requested' : 'validated';
      const created = new Date(start + rand() * Math.max(1, end - 25 * day - start));
      const submitted = status === 'draft' ? null : new Date(created.getTime() + rand() * 5 * day);
      const validated = status === 'validated' ? new Date(submitted!.getTime() + rand() * 20 * day) : null;
      const id = uuid();
      const competences = `{${[...new Set([pick(COMPETENCES), pick(COMPETENCES)])].join(',')}}`;
      const familles = `{${[...new Set([pick(FAMILLES), pick(FAMILLES)])].join(',')}}`;
      const title = `${pick(SENTENCES).split(' ').slice(0, 6).join(' ')} (${n + 1})`;
      const tutor = tutorOf.get(intern.id)!;
      traces.push([id, intern.id, kind, title, template.json, template.text, competences, familles, status, status === 'draft' ? 1 : 3, status !== 'draft', created, validated ?? submitted ?? created, submitted, validated, validated ? tutor : null, validated ? template.sha : null, intern.faculty]);
      if (status !== 'draft') {
        revisions.push([id, 1, kind, title, template.json, competences, familles, template.sha, intern.id, intern.faculty]);
        const commented = rand() < 0.4;
        if (commented) comments.push([id, tutor, 'Peux-tu préciser ta recherche documentaire ?', 10, 40, 'passage commenté', intern.faculty]);
        // The product records the tutor as a reviewer when they comment, request changes or validate.
        if (commented || status === 'validated' || status === 'changes_requested') reviewers.push([id, tutor, intern.faculty]);
      }
    }
    if (traces.length > 5000) await flush();
  }
  await flush();

  // Assessments of the socle for interns past it, and one jury session per 100 interns (open now).
  const assessed = interns.filter((i) => i.promotion <= 2025);
  const assessment = (i: (typeof interns)[number], phase: string) => [i.id, tutorOf.get(i.id), phase, JSON.stringify({ relation: 'intermediaire', premier_recours: 'novice' }), 'Bonne progression.', 'favorable', i.faculty];
  await insert(client, 'assessment', [['intern_id', 'uuid'], ['tutor_id', 'uuid'], ['phase', 'text'], ['levels', 'jsonb'], ['comment', 'text'], ['recommendation', 'text'], ['faculty_id', 'uuid']], [
    ...assessed.map((i) => assessment(i, 'socle')),
    ...assessed.filter((i) => i.graduated).map((i) => assessment(i, 'approfondissement')),
  ]);
  // Each faculty's sessions sit for its interns in the DES (the first `INTERNS` of the list), 100 a session, two of its jury members each.
  const sessions: unknown[][] = [];
  const members: unknown[][] = [];
  const seated: unknown[][] = [];
  for (const [faculty] of faculties as string[][]) {
    const theirs = interns.slice(0, INTERNS).filter((i) => i.faculty === faculty);
    const juries = juriesOf.get(faculty) ?? [];
    for (let s = 0; s * 100 < theirs.length; s++) {
      const id = uuid();
      sessions.push([id, `Commission ${s + 1}`, 'socle', new Date(now - day), new Date(now + 30 * day), faculty]);
      for (const member of new Set([juries[s % juries.length], juries[(s + 1) % juries.length]])) if (member) members.push([id, member, faculty]);
      for (const intern of theirs.slice(s * 100, s * 100 + 100)) seated.push([id, intern.id, faculty]);
    }
  }
  await insert(client, 'jury_session', [['id', 'uuid'], ['title', 'text'], ['phase', 'text'], ['opens_at', 'timestamptz'], ['closes_at', 'timestamptz'], ['faculty_id', 'uuid']], sessions);
  await insert(client, 'jury_member', [['session_id', 'uuid'], ['user_id', 'uuid'], ['faculty_id', 'uuid']], members);
  await insert(client, 'jury_intern', [['session_id', 'uuid'], ['intern_id', 'uuid'], ['faculty_id', 'uuid']], seated);
  await client.query(AUDIT_LOG_SQL);
  await client.query(AUDIT_ROLLUP_SQL);
  // As a live database is: vacuumed (hint bits and visibility map set, so index-only scans skip
  // the heap and the first reads do not write) and analysed.
  await client.query('VACUUM (ANALYZE)');

  const tables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows.map((r) => r.table_name as string);
  const counts: { table: string; rows: number }[] = [];
  for (const table of tables) counts.push({ table, rows: Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count) });
  counts.sort((a, b) => b.rows - a.rows);
  const [{ size }] = (await client.query(`SELECT pg_database_size(current_database()) AS size`)).rows;
  await client.end();
  await admin.end();
  console.log(`database ${name}: ${FACULTIES} faculties, ${INTERNS} interns in the DES and ${interns.length - INTERNS} graduates (${ALUMNI} promotions), ${tutorCount} MSU, ${traceCount} traces (seed ${SEED})`);
  for (const row of counts.filter((c) => c.rows > 0)) console.log(`  ${row.table.padEnd(20)} ${String(row.rows).padStart(10)}`);
  console.log(`size: ${(Number(size) / 1e6).toFixed(0)} MB (${(Number(size) / 1e6 / (INTERNS / 1000)).toFixed(0)} MB per 1,000 interns); time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
