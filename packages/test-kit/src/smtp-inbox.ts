import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from?: string;
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
}

export interface SmtpInbox {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** While true, every message is refused with a 4xx/5xx SMTP answer. */
  setRejecting(rejecting: boolean): void;
  /** How many delivery attempts the server has seen (accepted or refused). */
  attempts(): number;
  /** Calls `listener` with each message it accepts, before the sender hears that it was (a fault can start there). */
  onMessage(listener: (mail: ReceivedMail) => void | Promise<void>): void;
  close(): Promise<void>;
}

/** A real SMTP server in this process that keeps what it receives, for tests of email delivery. */
export async function startSmtpInbox(): Promise<SmtpInbox> {
  const messages: ReceivedMail[] = [];
  let rejecting = false;
  let attempts = 0;
  const listeners: Array<(mail: ReceivedMail) => void | Promise<void>> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      attempts += 1;
      if (rejecting) {
        stream.resume();
        stream.on('end', () => {
          const err = Object.assign(new Error('Mailbox unavailable (test inbox refusing mail)'), { responseCode: 550 });
          callback(err);
        });
        return;
      }
      simpleParser(stream)
        .then(async (mail) => {
          const received: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject,
            text: mail.text,
            html: typeof mail.html === 'string' ? mail.html : undefined,
          };
          messages.push(received);
          for (const listener of listeners) await listener(received);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    setRejecting: (value) => {
      rejecting = value;
    },
    attempts: () => attempts,
    onMessage: (listener) => {
      listeners.push(listener);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
