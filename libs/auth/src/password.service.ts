import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import bcrypt from 'bcrypt';
import { authConfig } from '@app/config';

/** bcrypt only looks at the first 72 bytes; longer passwords are refused, not silently truncated. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_BYTES = 8;

// Compared against when the email is unknown, so a login takes as long either
// way and response time does not reveal which emails are registered.
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKcEeO5lD6nJ3Ykq7yEJkW8I8jQ0qYy6q1m2G';

@Injectable()
export class PasswordService {
  constructor(@Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptCost);
  }

  /** Verifies against a stored hash; pass undefined for an unknown user to spend the same time. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
    return ok && hash !== undefined;
  }
}
