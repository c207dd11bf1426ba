export { MailSender, MailLogger } from './mail-sender';
