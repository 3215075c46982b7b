import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { withSpan } from '@shop/telemetry';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG } from '@shop/nest-kit';
import { NotificationTransport, OutgoingNotification, Recipient } from './notification-transport';

/**
 * Email over SMTP with nodemailer: the title is the subject, the description the body. Any SMTP
 * failure (refused, unreachable, timed out) is retried by the processor. The timeouts keep one
 * attempt well inside the claim lease (NOTIFY_CLAIM_LEASE_MS, 2 min): at most 10 s each for DNS,
 * connect and greeting, then 30 s without a byte fails the send. The socket timeout is an idle
 * timeout, so a server that keeps trickling bytes can still stretch a send past the lease: the
 * fence then keeps the stored state right, but that mail may go out twice.
 */
@Injectable()
export class SmtpEmailTransport implements NotificationTransport, OnApplicationShutdown {
  readonly channel = 'email' as const;
  private readonly transporter: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: NotificationServiceConfig) {
    this.transporter = nodemailer.createTransport({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
      pool: true,
      // Deliveries wait mostly on MongoDB and the User service: fewer SMTP connections than workers keep up.
      maxConnections: Math.min(config.NOTIFY_CONCURRENCY, 10),
      dnsTimeout: 10_000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
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
        this.transporter.sendMail({
          from: this.config.SMTP_FROM,
          to: { name: recipient.name, address: recipient.email },
          subject: notification.title,
          text: notification.description,
          headers: { 'X-Notification-Id': notification.id },
        }),
      { kind: 'client', attributes },
    );
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
