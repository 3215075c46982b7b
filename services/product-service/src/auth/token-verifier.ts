import { Injectable } from '@nestjs/common';
import { AuthenticatedUser } from '@shop/internal-auth';
import { UserServiceClient } from '@shop/service-client';

/**
 * Resolves a bearer token to its user through the User service (whose answers the client
 * caches briefly). This service never reads the User service's database or its JWT secret.
 */
@Injectable()
export class TokenVerifier {
  constructor(private readonly users: UserServiceClient) {}

  async verify(token: string): Promise<AuthenticatedUser> {
    const { user } = await this.users.validateToken(token);
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      phone: user.phone ?? null,
    };
  }
}
