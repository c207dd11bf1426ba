import {
  COMPETENCE_CODES,
  COMPETENCES,
  coverageOf,
  EVALUATION_LEVEL_LABELS,
  EXTRA_FAMILLE,
  FAMILLE_CODES,
  FAMILLES,
  LEVEL_LABELS,
  MANDATORY_SESSION_STATE_LABELS,
  PHASE_TITLES,
  RECOMMENDATION_LABELS,
  STAGE_LABELS,
  StageKind,
  TEACHING_KIND_WORDS,
  TeachingKind,
  TRACE_KIND_LABELS,
  TRACE_STATUS_LABELS,
} from '@carnet/domain';
import { documentFromJson, documentPdfContent, PdfContent } from '@carnet/editor';
import { PortfolioData, PortfolioDes, PortfolioTrace } from './portfolio';

const SHORT_FAMILLES: Record<string, string> = {
  chronique: 'Chron.',
  aigu: 'Aigu',
  urgence: 'Urg.',
  enfant_adolescent: 'Enf./ado.',
  sexualite: 'Sexual.',
  famille_couple: 'Famille',
  travail: 'Travail',
  medico_legal: 'Méd.-lég.',
  patient_difficile: 'Diffic.',
  social: 'Social',
  autre_culture: 'Culture',
  [EXTRA_FAMILLE]: 'Hors fam.',
};

const dateFr = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));
const dateTimeFr = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
/** A calendar day (YYYY-MM-DD, as the database's `date`) in French, whatever the time zone. */
const dayFr = (day: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
const familleLabel = (code: string) => (FAMILLES as Record<string, string>)[code] ?? 'Situation hors des onze familles';
const competenceLabel = (code: string) => (COMPETENCES as Record<string, string>)[code] ?? code;

function cover(data: PortfolioData): PdfContent[] {
  const tutors = data.tutors.length
    ? data.tutors.map((t) => `${t.displayName} (depuis le ${dateFr(t.since)}${t.until ? `, jusqu’au ${dateFr(t.until)}` : ''})`)
    : ['Aucun tuteur enregistré'];
  return [
    { text: data.dumgName, style: 'coverDumg', margin: [0, 60, 0, 80] },
    { text: 'Portfolio du DES de médecine générale', style: 'coverTitle' },
    { text: data.intern.displayName, style: 'coverName', margin: [0, 24, 0, 4] },
    {
      text: [data.intern.promotion ? `Promotion ${data.intern.promotion}` : null, data.intern.upp ? `UPP ${data.intern.upp}` : null].filter(Boolean).join(' — ') || ' ',
      style: 'coverMeta',
    },
    { text: 'Tuteur(s)', style: 'coverLabel', margin: [0, 40, 0, 4] },
    { stack: tutors, style: 'coverMeta' },
    {
      text: data.scope === 'validated' ? 'Contenu : traces validées par le tuteur' : 'Contenu : toutes les traces (validées ou non)',
      style: 'coverMeta',
      margin: [0, 40, 0, 4],
    },
    { text: `${data.traces.length} trace(s)`, style: 'coverMeta' },
    { text: `Document généré le ${dateTimeFr(data.generatedAt)} par Carnet ${data.softwareVersion}`, style: 'coverSmall', margin: [0, 60, 0, 0] },
  ];
}

function matrix(data: PortfolioData): PdfContent[] {
  const validated = data.traces.filter((t) => t.status === 'validated');
  const familles = data.traces.some((t) => t.familles.includes(EXTRA_FAMILLE)) ? [...FAMILLE_CODES, EXTRA_FAMILLE] : FAMILLE_CODES;
  const coverage = coverageOf(validated, familles);
  const header = [
    { text: 'Compétence \\ famille', bold: true, fontSize: 7 },
    ...familles.map((f) => ({ text: SHORT_FAMILLES[f] ?? f, bold: true, fontSize: 7, alignment: 'center' })),
    { text: 'Total', bold: true, fontSize: 7, alignment: 'center' },
  ];
  const cell = (n: number) => ({ text: n ? String(n) : '·', alignment: 'center', fillColor: n ? '#dbe8f5' : undefined, fontSize: 8 });
  const rows = COMPETENCE_CODES.map((c) => [
    { text: competenceLabel(c), fontSize: 7 },
    ...familles.map((f) => cell(coverage.matrix[c][f])),
    { text: String(coverage.byCompetence[c]), alignment: 'center', bold: true, fontSize: 8 },
  ]);
  const totals = [
    { text: 'Total', bold: true, fontSize: 7 },
    ...familles.map((f) => ({ text: String(coverage.byFamille[f]), alignment: 'center', bold: true, fontSize: 8 })),
    { text: String(coverage.total), alignment: 'center', bold: true, fontSize: 8 },
  ];
  return [
    { text: 'Couverture des compétences et des familles de situations', style: 'h1', tocItem: true, pageBreak: 'before', pageOrientation: 'landscape' },
    {
      text: `Traces validées : ${coverage.total}. Une trace compte dans chaque case de ses compétences et familles.`,
      margin: [0, 0, 0, 8],
    },
    {
      table: { headerRows: 1, widths: [150, ...familles.map(() => '*'), 34], body: [header, ...rows, totals] },
      layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, hLineColor: () => '#999999', vLineColor: () => '#999999' },
    },
    { text: 'Familles de situations', style: 'h3', margin: [0, 12, 0, 4] },
    { ul: familles.map((f) => ({ text: [{ text: `${SHORT_FAMILLES[f] ?? f} : `, bold: true }, familleLabel(f)], fontSize: 8 })) },
  ];
}

function assessments(data: PortfolioData): PdfContent[] {
  if (!data.assessments.length) return [{ text: 'Aucune évaluation de phase n’est enregistrée pour cet interne à la date du document.', italics: true }];
  return data.assessments.flatMap((a) => [
    { text: `${PHASE_TITLES[a.phase] ?? a.phase} — ${a.tutor}`, style: 'h2' },
    { text: `${RECOMMENDATION_LABELS[a.recommendation] ?? a.recommendation} à la commission — évaluation du ${dateFr(a.updatedAt)}`, style: 'meta' },
    {
      table: {
        widths: ['*', 100],
        body: [
          [{ text: 'Compétence', bold: true }, { text: 'Niveau', bold: true }],
          ...COMPETENCE_CODES.map((c) => [competenceLabel(c), LEVEL_LABELS[a.levels[c]] ?? '—']),
        ],
      },
      layout: 'lightHorizontalLines',
      fontSize: 9,
      margin: [0, 4, 0, 6],
    },
    ...(a.comment ? [{ text: a.comment, margin: [0, 0, 0, 10] }] : []),
  ]);
}

const table = (widths: (string | number)[], header: string[], rows: PdfContent[][]): PdfContent => ({
  table: { headerRows: 1, widths, body: [header.map((text) => ({ text, bold: true })), ...rows] },
  layout: 'lightHorizontalLines',
  fontSize: 8,
  margin: [0, 4, 0, 8],
});
const none = (text: string): PdfContent => ({ text, italics: true, margin: [0, 0, 0, 6] });

/** The phase's mandatory teaching: the counts, the gaps in words, every session with its date and the intern's presence. */
function teachingSection(des: PortfolioDes): PdfContent[] {
  const phases = des.teaching.flatMap((p) => [
    { text: PHASE_TITLES[p.phase] ?? p.phase, style: 'h2' },
    {
      text: `Séances obligatoires tenues : ${p.held} — présent(e) : ${p.attended} — absences justifiées : ${p.excused} — manquées : ${p.missed} — à venir : ${p.upcoming}`,
      style: 'meta',
    },
    ...(p.gaps.length ? [{ text: 'Manques', style: 'h3' }, { ul: p.gaps }] : p.held ? [{ text: 'Aucune séance obligatoire manquée.', margin: [0, 0, 0, 4] }] : []),
    p.sessions.length
      ? table(
          [105, '*', 90, 70],
          ['Date', 'Séance', 'Type', 'Présence'],
          p.sessions.map((s) => [dateTimeFr(s.startsAt), s.title, TEACHING_KIND_WORDS[s.kind as TeachingKind]?.label ?? s.kind, MANDATORY_SESSION_STATE_LABELS[s.state]]),
        )
      : none('Aucune séance obligatoire n’attend cet interne dans cette phase à la date du document.'),
  ]);
  return [
    { text: 'Enseignements et présences', style: 'h1', tocItem: true, pageBreak: 'before', pageOrientation: 'portrait' },
    {
      text: 'Les séances obligatoires où l’interne était attendu(e), par phase : une absence justifiée n’est pas un manque.',
      style: 'meta',
    },
    ...(phases.length ? phases : [none('Aucune séance obligatoire n’est enregistrée pour cet interne.')]),
  ];
}

/** The GEPT groups and the meetings attended, when the requester may read them. */
function geptSection(des: PortfolioDes): PdfContent[] {
  const heading = { text: 'Groupes d’échange de pratiques (GEPT)', style: 'h1', tocItem: true, margin: [0, 16, 0, 6] };
  if (des.gept === null) return [heading, none('La présence aux groupes GEPT n’est communiquée qu’à l’interne, à l’animateur du groupe et au DUMG.')];
  if (!des.gept.length) return [heading, none('L’interne n’appartient à aucun groupe GEPT.')];
  return [
    heading,
    ...des.gept.flatMap((g) => [
      { text: `${g.title} (${g.year}) — animé par ${g.lead}`, style: 'h2' },
      { text: `Séances : ${g.meetings.length} — présent(e) : ${g.meetings.filter((m) => m.present === true).length}`, style: 'meta' },
      g.meetings.length
        ? table(
            [90, '*', 70],
            ['Date', 'Situations discutées', 'Présence'],
            g.meetings.map((m) => [dayFr(m.heldOn), m.cases.join(' ; ') || '—', m.present === null ? 'Non relevé' : m.present ? 'Présent(e)' : 'Absent(e)']),
          )
        : none('Aucune séance tenue.'),
    ]),
  ];
}

/** The tutor meetings: day, tutor, what was discussed, the next objectives and who co-signed when. */
function meetingsSection(des: PortfolioDes): PdfContent[] {
  const coSigned = des.meetings.filter((m) => m.internConfirmedAt && m.tutorConfirmedAt).length;
  return [
    { text: 'Rencontres avec le tuteur', style: 'h1', tocItem: true, pageBreak: 'before', pageOrientation: 'portrait' },
    { text: `${des.meetings.length} rencontre(s), dont ${coSigned} co-signée(s) par l’interne et le tuteur.`, style: 'meta' },
    ...(des.meetings.length
      ? des.meetings.flatMap((m) => [
          { text: `Rencontre du ${dayFr(m.heldOn)} — ${m.tutor}`, style: 'h3' },
          { text: [{ text: 'Ce qui a été abordé : ', bold: true }, m.discussed] },
          { text: [{ text: 'Objectifs pour la suite : ', bold: true }, m.nextObjectives], margin: [0, 2, 0, 2] },
          {
            text:
              m.internConfirmedAt && m.tutorConfirmedAt
                ? `Co-signée : par l’interne le ${dateTimeFr(m.internConfirmedAt)}, par ${m.tutor} (tuteur) le ${dateTimeFr(m.tutorConfirmedAt)}.`
                : `Non co-signée : ${m.internConfirmedAt ? `confirmée par l’interne le ${dateTimeFr(m.internConfirmedAt)}, en attente du tuteur` : m.tutorConfirmedAt ? `confirmée par ${m.tutor} le ${dateTimeFr(m.tutorConfirmedAt)}, en attente de l’interne` : 'en attente des confirmations'}.`,
            style: 'meta',
            margin: [0, 0, 0, 6],
          },
        ])
      : [none('Aucune rencontre de tutorat n’est enregistrée.')]),
  ];
}

/** The thesis: subject, director, the steps with their dates and state. */
function thesisSection(des: PortfolioDes): PdfContent[] {
  const heading = { text: 'Thèse', style: 'h1', tocItem: true, margin: [0, 16, 0, 6] };
  const thesis = des.thesis;
  if (!thesis) return [heading, none('Aucune thèse n’est déclarée.')];
  const done = thesis.steps.filter((s) => s.doneOn).length;
  return [
    heading,
    { text: [{ text: 'Sujet : ', bold: true }, thesis.subject] },
    { text: [{ text: 'Directeur ou directrice : ', bold: true }, thesis.director ?? 'non renseigné'], margin: [0, 2, 0, 2] },
    { text: `Avancement : ${done} étape(s) franchie(s) sur ${thesis.steps.length}.`, style: 'meta' },
    table(
      ['*', 80, 80, 60],
      ['Étape', 'Prévue le', 'Franchie le', 'État'],
      thesis.steps.map((s) => [
        s.note ? { stack: [s.label, { text: s.note, color: '#555555' }] } : s.label,
        s.plannedOn ? dayFr(s.plannedOn) : '—',
        s.doneOn ? dayFr(s.doneOn) : '—',
        s.state,
      ]),
    ),
  ];
}

/** The supervisors' end-of-stage evaluations, per stage (never the intern's own, anonymous ones). */
function stageEvaluationsSection(des: PortfolioDes): PdfContent[] {
  return [
    { text: 'Évaluations de fin de stage', style: 'h1', tocItem: true, pageBreak: 'before', pageOrientation: 'portrait' },
    { text: 'Les évaluations de l’interne par ses maîtres de stage, stage par stage.', style: 'meta' },
    ...(des.stages.length
      ? des.stages.flatMap((s) => [
          { text: `Semestre ${s.semester} — ${STAGE_LABELS[s.kind as StageKind] ?? s.kind} — ${s.place}`, style: 'h2' },
          { text: `Du ${dayFr(s.startsOn)} au ${dayFr(s.endsOn)}`, style: 'meta' },
          ...(s.evaluations.length
            ? s.evaluations.flatMap((e) => [
                { text: `Évaluation de ${e.evaluator}${e.viaLink ? ' (par lien)' : ''}, envoyée le ${dateFr(e.submittedAt)}`, style: 'h3' },
                {
                  text: e.validationProposed ? 'Validation du stage proposée' : 'Validation du stage non proposée',
                  bold: true,
                  color: e.validationProposed ? '#1d5e20' : '#8a4b00',
                },
                table(['*', 130], ['Compétence', 'Niveau'], COMPETENCE_CODES.map((c) => [competenceLabel(c), EVALUATION_LEVEL_LABELS[e.levels[c]] ?? '—'])),
                ...(e.comment ? [{ text: [{ text: 'Commentaire : ', bold: true }, e.comment], margin: [0, 0, 0, 8] }] : []),
              ])
            : [none('Aucune évaluation reçue pour ce stage.')]),
        ])
      : [none('Aucun stage n’est enregistré.')]),
  ];
}

/** Teaching, GEPT, meetings, thesis, stage evaluations: the DES beside the traces. */
function desSections(des: PortfolioDes | undefined): PdfContent[] {
  if (!des) return [];
  return [...teachingSection(des), ...geptSection(des), ...meetingsSection(des), ...thesisSection(des), ...stageEvaluationsSection(des)];
}

function stamp(trace: PortfolioTrace): PdfContent {
  const lines = trace.validatedAt
    ? [
        { text: TRACE_STATUS_LABELS.validated, bold: true, color: '#1d5e20' },
        `par ${trace.validatedBy ?? 'tuteur'}, le ${dateTimeFr(trace.validatedAt)}`,
        { text: `SHA-256 du contenu validé : ${trace.validatedSha256}`, fontSize: 7, color: '#333333' },
      ]
    : [{ text: TRACE_STATUS_LABELS[trace.status] ?? trace.status, bold: true, color: '#8a4b00' }, 'Non validée par le tuteur à la date du document.'];
  return {
    table: { widths: ['*'], body: [[{ stack: lines, margin: [6, 4, 6, 4] }]] },
    layout: { hLineWidth: () => 0.8, vLineWidth: () => 0.8, hLineColor: () => '#888888', vLineColor: () => '#888888' },
    margin: [0, 10, 0, 0],
    unbreakable: true,
  };
}

function traceSection(trace: PortfolioTrace, index: number): PdfContent[] {
  const tags = [
    { text: [{ text: 'Compétences : ', bold: true }, trace.competences.map(competenceLabel).join(' ; ') || '—'] },
    { text: [{ text: 'Familles de situations : ', bold: true }, trace.familles.map(familleLabel).join(' ; ') || '—'] },
  ];
  const attachments: PdfContent[] = trace.attachments.length
    ? [
        { text: 'Pièces jointes', style: 'h3', margin: [0, 10, 0, 2] },
        { ul: trace.attachments.map((a) => `${a.filename} (${Math.max(1, Math.round(a.size / 1024))} Ko, SHA-256 ${a.sha256.slice(0, 16)}…)`), fontSize: 8 },
      ]
    : [];
  return [
    { text: `${index + 1}. ${trace.title}`, style: 'h1', tocItem: true, pageBreak: 'before', pageOrientation: 'portrait' },
    { text: `${TRACE_KIND_LABELS[trace.kind] ?? trace.kind} — rédigée le ${dateFr(trace.createdAt)}`, style: 'meta' },
    { stack: tags, fontSize: 8, margin: [0, 0, 0, 10], color: '#333333' },
    ...documentPdfContent(documentFromJson(trace.content), 1),
    ...attachments,
    stamp(trace),
  ];
}

/** The pdfmake document of a portfolio: cover, contents, coverage matrix, assessments, the rest of the DES, traces. */
export function portfolioDocument(data: PortfolioData, onPageCount: (pages: number) => void): Record<string, unknown> {
  const footerText = `${data.intern.displayName} — portfolio du DES — ${dateFr(data.generatedAt)}`;
  return {
    info: { title: `Portfolio — ${data.intern.displayName}`, author: data.dumgName, creator: `Carnet ${data.softwareVersion}`, subject: 'Portfolio du DES de médecine générale' },
    language: 'fr-FR',
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 60],
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.25 },
    styles: {
      coverDumg: { fontSize: 12, color: '#555555', alignment: 'center' },
      coverTitle: { fontSize: 24, bold: true, alignment: 'center', color: '#0b3d66' },
      coverName: { fontSize: 18, alignment: 'center' },
      coverMeta: { fontSize: 11, alignment: 'center' },
      coverLabel: { fontSize: 11, bold: true, alignment: 'center' },
      coverSmall: { fontSize: 8, alignment: 'center', color: '#666666' },
      h1: { fontSize: 16, bold: true, color: '#0b3d66', margin: [0, 0, 0, 6] },
      h2: { fontSize: 14, bold: true, margin: [0, 10, 0, 4] },
      h3: { fontSize: 12, bold: true, margin: [0, 8, 0, 4] },
      h4: { fontSize: 11, bold: true, margin: [0, 6, 0, 3] },
      meta: { fontSize: 9, color: '#555555', margin: [0, 0, 0, 4] },
      code: { fontSize: 9, background: '#f2f2f2' },
    },
    content: [
      ...cover(data),
      { toc: { title: { text: 'Sommaire', style: 'h1' }, numberStyle: { bold: true } }, pageBreak: 'before' },
      ...matrix(data),
      { text: 'Évaluations du tuteur', style: 'h1', tocItem: true, pageBreak: 'before', pageOrientation: 'portrait' },
      ...assessments(data),
      ...desSections(data.des),
      ...data.traces.flatMap(traceSection),
    ],
    footer: (currentPage: number, pageCount: number) => {
      onPageCount(pageCount);
      if (currentPage === 1) return null;
      return {
        columns: [
          { text: footerText, fontSize: 7, color: '#666666' },
          { text: `page ${currentPage} / ${pageCount}`, fontSize: 7, color: '#666666', alignment: 'right' },
        ],
        margin: [56, 20, 56, 0],
      };
    },
  };
}
