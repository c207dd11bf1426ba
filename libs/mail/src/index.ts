export { MailSender, MailLogger } from './mail-sender';
export { mailTemplates, reviewTemplates } from './templates';
