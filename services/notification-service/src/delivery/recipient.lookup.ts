import { Inject, Injectable } from '@nestjs/common';
import { UpstreamRejectionError } from '@shop/errors';
import { NotificationRecipient, NotificationType } from '@shop/contracts';
import { UserServiceClient } from '@shop/service-client';
import { USER_SERVICE } from '@shop/nest-kit';
import { Recipient } from './notification-transport';
import { PermanentDeliveryError } from './permanent-delivery.error';

/**
 * Finds where to deliver: for an email whose caller gave the address, that address; otherwise
 * through the User service. An unknown user, or a user without the
 * contact the channel needs, is a permanent failure; the User service being down, slow or
 * failing is not (the error is passed on and the attempt retried).
 */
@Injectable()
export class RecipientLookup {
  constructor(@Inject(USER_SERVICE) private readonly users: UserServiceClient) {}

  async find(userId: string, channel: NotificationType, given?: NotificationRecipient): Promise<Recipient> {
    if (channel === 'email' && given) return { userId, name: given.name ?? '', email: given.email, phone: null };
    let user;
    try {
      user = await this.users.getUser(userId);
    } catch (err) {
      if (err instanceof UpstreamRejectionError && (err.status === 404 || err.status === 400)) {
        throw new PermanentDeliveryError(`User ${userId} does not exist (User service: ${err.message})`, { cause: err });
      }
      throw err;
    }
    if (channel === 'sms' && !user.phone) throw new PermanentDeliveryError(`User ${userId} has no phone number for SMS`);
    return {
      userId: user.id,
      name: `${user.firstName} ${user.lastName}`.trim(),
      email: user.email,
      phone: user.phone ?? null,
    };
  }
}
