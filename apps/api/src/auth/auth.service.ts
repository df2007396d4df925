import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { PasswordService, TokenService } from '@app/auth';
import { uniqueViolation, type User, UserRepository } from '@app/db';
import { LoginThrottle } from '../limits/login-throttle.service.js';
import { VideoQuotaService } from '../limits/video-quota.service.js';
import type { AuthResponseDto, LoginDto, MeDto, RegisterDto, UserDto } from './auth.dto.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly quotas: VideoQuotaService,
  ) {}

  /** `ip` is the client's address (REGISTER_PER_IP_PER_HOUR counts attempts from it). */
  async register(dto: RegisterDto, ip: string): Promise<AuthResponseDto> {
    await this.throttle.register(ip);
    const email = dto.email.toLowerCase();
    const taken = await this.users.findByEmailOrUsername(email, dto.username);
    if (taken.length) throw conflict(taken.some((u) => u.email.toLowerCase() === email) ? 'email' : 'username');
    const passwordHash = await this.passwords.hash(dto.password);
    let user: User;
    try {
      user = await this.users.create({ email, username: dto.username, passwordHash });
    } catch (e) {
      // Two registrations racing past the check above meet the unique index here.
      const constraint = uniqueViolation(e);
      if (constraint) throw conflict(constraint.includes('email') ? 'email' : 'username');
      throw e;
    }
    return { user: toUserDto(user), ...(await this.tokens.issue(user)) };
  }

  /** Refused with 429 before the password is checked once the account or `ip` failed too often. */
  async login(dto: LoginDto, ip: string): Promise<AuthResponseDto> {
    const attempt = await this.throttle.attempt(dto.email, ip);
    const user = await this.users.findByEmailWithHash(dto.email);
    // Same answer, and about the same time, for an unknown email and a wrong password.
    if (!(await this.passwords.verify(dto.password, user?.passwordHash)) || !user) {
      throw new UnauthorizedException('Invalid email or password');
    }
    await this.throttle.succeeded(attempt);
    return { user: toUserDto(user), ...(await this.tokens.issue(user)) };
  }

  /** The user, with their video usage and the limits that apply to them. */
  async me(userId: string): Promise<MeDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new UnauthorizedException('Invalid access token');
    return { ...toUserDto(user), ...(await this.quotas.usage(userId)) };
  }
}

function conflict(field: 'email' | 'username'): ConflictException {
  return new ConflictException(field === 'email' ? 'An account with this email already exists' : 'This username is taken');
}

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    username: u.username,
    avatarUrl: u.avatarUrl,
    role: u.role,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
