export { MailSender, MailLogger } from './mail-sender';
export { mailTemplates } from './templates';
