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
