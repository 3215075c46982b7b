import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { bulkhead, BulkheadPolicy } from 'cockatiel';
import nodemailer, { Transporter } from 'nodemailer';
import { withSpan } from '@shop/telemetry';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG } from '@shop/nest-kit';
import { NotificationTransport, OutgoingNotification, Recipient } from './notification-transport';

/**
 * Email over SMTP with nodemailer: the title is the subject, the description the body. Any SMTP
 * failure (refused, unreachable, timed out) is retried by the processor. The timeouts keep one
 * attempt well inside the claim lease (see smtpTimeouts). The socket timeout is an idle timeout,
 * so a server that keeps trickling bytes can still stretch a send past the lease: the fence then
 * keeps the stored state right, but that mail may go out twice.
 */
/**
 * SMTP timeouts that fit an attempt inside the claim lease: a twelfth of it each for DNS, connect
 * and greeting, a quarter without a byte for the send (half the lease in all, the rest left for
 * the User service lookup and the writes), never more than 10 s and 30 s. With the default lease
 * of 2 min that is 10, 10, 10 and 30 s. The lease is also how long a crashed worker's
 * notifications wait before another worker takes them, so a shorter lease recovers faster and
 * gives SMTP less time.
 */
export function smtpTimeouts(leaseMs: number): {
  dnsTimeout: number;
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
} {
  const phase = Math.min(Math.floor(leaseMs / 12), 10_000);
  return { dnsTimeout: phase, connectionTimeout: phase, greetingTimeout: phase, socketTimeout: Math.min(Math.floor(leaseMs / 4), 30_000) };
}

@Injectable()
export class SmtpEmailTransport implements NotificationTransport, OnApplicationShutdown {
  readonly channel = 'email' as const;
  private readonly transporter: Transporter;
  /** One slot per pooled connection: a send waits here, bounded, never in nodemailer's unbounded queue. */
  private readonly connections: BulkheadPolicy;

  constructor(@Inject(APP_CONFIG) private readonly config: NotificationServiceConfig) {
    this.transporter = nodemailer.createTransport({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
      pool: true,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      ...smtpTimeouts(config.NOTIFY_CLAIM_LEASE_MS),
    });
    this.connections = bulkhead(config.SMTP_MAX_CONNECTIONS, Infinity);
  }

  /** In a span of its own: no OpenTelemetry instrumentation knows nodemailer. */
  async send(recipient: Recipient, notification: OutgoingNotification): Promise<void> {
    const attributes = {
      'server.address': this.config.SMTP_HOST,
      'server.port': this.config.SMTP_PORT,
      'notification.id': notification.id,
    };
    await withSpan(
      'smtp send',
      () =>
        this.whenConnectionFree(() =>
          this.transporter.sendMail({
            from: this.config.SMTP_FROM,
            to: { name: recipient.name, address: recipient.email },
            subject: notification.title,
            text: notification.description,
            headers: { 'X-Notification-Id': notification.id },
          }),
        ),
      { kind: 'client', attributes },
    );
  }

  /**
   * Runs `send` once a pooled connection is free, or fails after SMTP_POOL_WAIT_MS of waiting with
   * nothing sent (a retryable failure): time spent queued would otherwise come out of the claim's
   * lease unseen. A send that has started is never abandoned.
   */
  private async whenConnectionFree<T>(send: () => Promise<T>): Promise<T> {
    const waited = new AbortController();
    let started = false;
    const sending = this.connections.execute(() => {
      started = true;
      return send();
    }, waited.signal);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (started) return;
        waited.abort();
        reject(
          new Error(`no SMTP connection free within ${this.config.SMTP_POOL_WAIT_MS} ms (${this.config.SMTP_MAX_CONNECTIONS} in the pool)`),
        );
      }, this.config.SMTP_POOL_WAIT_MS);
    });
    // The abandoned wait rejects once its turn comes (cancelled): nobody listens any more.
    sending.catch(() => undefined);
    try {
      return await Promise.race([sending, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
