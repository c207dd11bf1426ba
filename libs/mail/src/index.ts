export { MailSender, MailLogger } from './mail-sender';
export { mailTemplates, reminderTemplates, reviewTemplates } from './templates';
export { stageEvaluationTemplates } from './templates';
