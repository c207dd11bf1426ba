import type { MailJob } from '@carnet/queue';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function compose(to: string, subject: string, paragraphs: string[], action: { label: string; url: string }): MailJob {
  const text = [...paragraphs, '', `${action.label} : ${action.url}`, '', '— Carnet, portfolio du DES de médecine générale'].join('\n');
  const html = `<!doctype html><html lang="fr"><body style="font-family:system-ui,sans-serif;color:#1a1a1a;line-height:1.5">
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
<p><a href="${escape(action.url)}" style="background:#0b4f8a;color:#fff;padding:.6em 1em;border-radius:4px;text-decoration:none">${escape(action.label)}</a></p>
<p style="color:#555;font-size:.9em">Si le bouton ne fonctionne pas, copiez cette adresse : ${escape(action.url)}</p>
<p style="color:#555;font-size:.9em">— Carnet, portfolio du DES de médecine générale</p>
</body></html>`;
  return { to, subject, text, html };
}

export const mailTemplates = {
  invitation: (to: string, firstName: string, url: string, validDays: number): MailJob =>
    compose(
      to,
      'Votre accès à Carnet, le portfolio du DES de médecine générale',
      [
        `Bonjour ${firstName},`,
        'Le département de médecine générale vous a ouvert un compte sur Carnet.',
        `Choisissez votre mot de passe avec le lien ci-dessous ; il est valable ${validDays} jours et ne sert qu’une fois.`,
      ],
      { label: 'Choisir mon mot de passe', url },
    ),
  passwordReset: (to: string, firstName: string, url: string, validMinutes: number): MailJob =>
    compose(
      to,
      'Réinitialisation de votre mot de passe Carnet',
      [
        `Bonjour ${firstName},`,
        'Vous avez demandé à réinitialiser votre mot de passe.',
        `Le lien ci-dessous est valable ${validMinutes} minutes et ne sert qu’une fois. Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.`,
      ],
      { label: 'Choisir un nouveau mot de passe', url },
    ),
  thesisDirectorLink: (to: string, directorName: string, internName: string, subject: string, url: string, validDays: number): MailJob =>
    compose(
      to,
      `Thèse de ${internName} : votre avis de directeur`,
      [
        `Bonjour ${directorName},`,
        `${internName} vous invite, comme directeur de sa thèse « ${subject} », à suivre ses étapes et à y laisser un commentaire sur Carnet, sans compte à créer.`,
        `Le lien ci-dessous est valable ${validDays} jours et permet un commentaire ; l’interne pourra vous en envoyer un autre.`,
      ],
      { label: 'Voir la thèse et commenter', url },
    ),
};

export const reviewTemplates = {
  traceSubmitted: (to: string, tutorFirstName: string, internName: string, title: string, url: string): MailJob =>
    compose(
      to,
      `Nouvelle trace à relire : ${title}`,
      [`Bonjour ${tutorFirstName},`, `${internName} vous a soumis une trace de son portfolio : « ${title} ».`],
      { label: 'Relire la trace', url },
    ),
  changesRequested: (to: string, internFirstName: string, tutorName: string, title: string, url: string): MailJob =>
    compose(
      to,
      `Modifications demandées : ${title}`,
      [`Bonjour ${internFirstName},`, `${tutorName} a relu votre trace « ${title} » et vous demande des modifications.`],
      { label: 'Voir les commentaires', url },
    ),
  traceValidated: (to: string, internFirstName: string, tutorName: string, title: string, url: string): MailJob =>
    compose(
      to,
      `Trace validée : ${title}`,
      [`Bonjour ${internFirstName},`, `${tutorName} a validé votre trace « ${title} ». Elle compte désormais dans votre portfolio.`],
      { label: 'Voir la trace', url },
    ),
};

const dateFr = (date: Date) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(date);

export const reminderTemplates = {
  thesisStepStalled: (to: string, firstName: string, step: string, plannedOn: string, url: string): MailJob =>
    compose(
      to,
      `Thèse : l’étape « ${step} » est en retard`,
      [`Bonjour ${firstName},`, `L’étape « ${step} » de votre thèse était prévue le ${plannedOn} et n’est pas marquée comme franchie. Mettez sa date à jour, ou parlez-en à votre directeur.`],
      { label: 'Ouvrir ma thèse', url },
    ),
  traceWaiting: (to: string, firstName: string, internName: string, title: string, days: number, url: string): MailJob =>
    compose(
      to,
      `Une trace attend votre relecture depuis ${days} jours`,
      [`Bonjour ${firstName},`, `${internName} attend votre retour sur « ${title} », soumise il y a ${days} jours.`],
      { label: 'Relire la trace', url },
    ),
  internIdle: (to: string, firstName: string, days: number, url: string): MailJob =>
    compose(
      to,
      'Votre portfolio vous attend',
      [`Bonjour ${firstName},`, `Aucune trace de votre portfolio n’a été validée depuis ${days} jours. Une situation vécue en stage ces dernières semaines mériterait peut-être d’être écrite.`],
      { label: 'Ouvrir mon portfolio', url },
    ),
  /**
   * A mandatory teaching session the intern was expected at and missed (neither present nor
   * excused), and the next one of the same kind expecting them, if any. `when` reads « jeudi
   * 14 janvier 2027 de 14 h 00 à 17 h 00 ».
   */
  teachingSessionMissed: (to: string, firstName: string, missed: { title: string; when: string }, next: { title: string; when: string; place: string } | null, url: string): MailJob =>
    compose(
      to,
      `Séance obligatoire manquée : ${missed.title}`,
      [
        `Bonjour ${firstName},`,
        `Vous étiez attendu(e) à la séance obligatoire « ${missed.title} », ${missed.when}, et votre présence n’y a pas été relevée.`,
        'Si vous étiez absent(e) pour un motif valable, justifiez votre absence sur Carnet : une absence justifiée ne compte pas comme un manque pour la validation de la phase.',
        next
          ? `La prochaine séance obligatoire de ce type où vous êtes attendu(e) : « ${next.title} », ${next.when}, ${next.place}.`
          : 'Aucune autre séance obligatoire de ce type n’est encore programmée pour vous : rapprochez-vous du DUMG pour la rattraper.',
      ],
      { label: 'Voir la séance manquée', url },
    ),
  sessionGaps: (to: string, firstName: string, summary: string, opensAt: Date, url: string): MailJob =>
    compose(
      to,
      'Votre commission de validation approche',
      [`Bonjour ${firstName},`, `Votre commission de validation s’ouvre le ${dateFr(opensAt)}.`, summary],
      { label: 'Voir ma progression', url },
    ),
  weeklyDigest: (to: string, firstName: string, waiting: number, oldestDays: number, url: string): MailJob =>
    compose(
      to,
      `${waiting} trace${waiting > 1 ? 's' : ''} à relire cette semaine`,
      [`Bonjour ${firstName},`, `${waiting} trace${waiting > 1 ? 's' : ''} de vos tutorés attend${waiting > 1 ? 'ent' : ''} votre relecture ; la plus ancienne depuis ${oldestDays} jour${oldestDays > 1 ? 's' : ''}.`],
      { label: 'Ouvrir mes relectures', url },
    ),
};

export const stageEvaluationTemplates = {
  /** To a supervisor, often a hospital senior without an account: the one-time link to the form. */
  evaluationLink: (to: string, evaluatorName: string, internName: string, stageLabel: string, place: string, endsOn: string, url: string, validDays: number): MailJob =>
    compose(
      to,
      `Évaluation de fin de stage de ${internName}`,
      [
        `Bonjour ${evaluatorName},`,
        `Vous avez encadré ${internName}, interne de médecine générale, en stage ${stageLabel}${place ? ` (${place})` : ''} jusqu’au ${endsOn.split('-').reverse().join('/')}. Le DUMG vous demande son évaluation de fin de stage : un niveau par compétence, un commentaire libre et votre proposition de validation.`,
        `Le formulaire s’ouvre sur votre téléphone, sans compte à créer. Ce lien est personnel, valable ${validDays} jours et ne sert qu’une fois ; un lien envoyé plus tard remplace celui-ci.`,
      ],
      { label: 'Remplir l’évaluation', url },
    ),
  /** To an MSU with an account, when the form of a stage they supervise opens. */
  evaluationOpen: (to: string, firstName: string, internName: string, stageLabel: string, endsOn: string, url: string): MailJob =>
    compose(
      to,
      `Évaluation de fin de stage de ${internName} à remplir`,
      [`Bonjour ${firstName},`, `Le stage ${stageLabel} de ${internName} s’achève le ${endsOn.split('-').reverse().join('/')} : son évaluation de fin de stage vous attend sur Carnet.`],
      { label: 'Évaluer l’interne', url },
    ),
  /** To the intern, when the form of their stage opens: their evaluation of the stage, anonymous. */
  feedbackOpen: (to: string, firstName: string, stageLabel: string, url: string): MailJob =>
    compose(
      to,
      `Votre avis sur votre stage ${stageLabel}`,
      [`Bonjour ${firstName},`, `Votre stage ${stageLabel} touche à sa fin. Dites au DUMG ce que vous en pensez (encadrement, enseignement, charge de travail, logement, trajets) : vos réponses sont anonymes et ne sont lues que par lieu de stage, à partir de 3 réponses.`],
      { label: 'Évaluer mon stage', url },
    ),
};
