import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

/** bcrypt hashing, and checks that take as long whether or not there is an account. */
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  constructor(private readonly rounds: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.rounds);
  }

  /**
   * True when `password` matches `hash`. Without a hash (no such account) it still runs one
   * bcrypt comparison at the same cost, so response times do not reveal which emails exist.
   */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    if (hash === undefined) {
      await bcrypt.compare(password, await this.dummy());
      return false;
    }
    return bcrypt.compare(password, hash);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(randomBytes(32).toString('base64'), this.rounds);
    return this.dummyHash;
  }
}
