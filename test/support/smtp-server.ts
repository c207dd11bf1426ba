import { simpleParser, ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
}

export interface TestSmtp {
  url: string;
  messages: CapturedMail[];
  /** Resolves with the first captured message matching `predicate`, waiting up to `timeoutMs`. */
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server in the test process: mail is the one edge the tests capture rather than send.
 * A message counts once the server has accepted it (as a real one would deliver it); `delayMs`
 * slows each recipient down, for drills that need sending to take time.
 */
export async function startSmtpServer(options: { delayMs?: number } = {}): Promise<TestSmtp> {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (options.delayMs) setTimeout(() => callback(), options.delayMs);
      else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed: ParsedMail) => {
          const to = ([] as { value: { address?: string }[] }[])
            .concat(parsed.to ?? [])
            .flatMap((group) => group.value.map((entry) => entry.address ?? ''));
          messages.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: parsed.html || undefined, messageId: parsed.messageId });
          callback();
        })
        .catch(callback);
    },
  });
  server.on('error', () => undefined); // a client killed mid-conversation (drills) resets its connection
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching mail within ${timeoutMs} ms (got ${messages.length})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
