import { BadRequestException, ConflictException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AccessRevocations, ACCOUNT_DISABLED, PasswordService, TokenService } from '@app/auth';
import { uniqueViolation, type User, UserRepository } from '@app/db';
import { LoginThrottle } from '../limits/login-throttle.service.js';
import { VideoQuotaService } from '../limits/video-quota.service.js';
import { VideosService } from '../videos/videos.service.js';
import type { AuthResponseDto, DeleteMeDto, LoginDto, MeDto, RegisterDto, UpdateMeDto, UserDto } from './auth.dto.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly quotas: VideoQuotaService,
    private readonly videos: VideosService,
    private readonly revocations: AccessRevocations,
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
    // The right password: the account's failures are forgiven, whatever comes next.
    await this.throttle.succeeded(attempt);
    // Only after the password: whether an account is disabled is nobody else's business.
    if (user.disabled) throw new ForbiddenException(ACCOUNT_DISABLED);
    return { user: toUserDto(user), ...(await this.tokens.issue(user)) };
  }

  /** The user, with their video usage and the limits that apply to them. */
  async me(userId: string): Promise<MeDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new UnauthorizedException('Invalid access token');
    return { ...toUserDto(user), ...(await this.quotas.usage(userId)) };
  }

  /**
   * A new password needs the current one (403 when it is wrong: the caller is signed in,
   * the confirmation failed) and signs out every session, this one included. Username and
   * avatar need no password.
   */
  async updateMe(userId: string, dto: UpdateMeDto): Promise<UserDto> {
    if (dto.newPassword === undefined && dto.username === undefined && dto.avatarUrl === undefined) {
      throw new BadRequestException('Nothing to change: give newPassword (with currentPassword), username or avatarUrl');
    }
    if (dto.newPassword !== undefined) {
      if (dto.currentPassword === undefined) throw new BadRequestException('currentPassword is required to change the password');
      await this.confirmPassword(userId, dto.currentPassword, 'Current password is wrong');
      const hash = await this.passwords.hash(dto.newPassword);
      await this.tokens.revokeAll(userId, new Date(), (r) => r.users.changePassword(userId, hash, new Date()));
    }
    const profile: Partial<Pick<User, 'username' | 'avatarUrl'>> = {};
    if (dto.username !== undefined) profile.username = dto.username;
    if (dto.avatarUrl !== undefined) profile.avatarUrl = dto.avatarUrl;
    try {
      await this.users.updateProfile(userId, profile);
    } catch (e) {
      if (uniqueViolation(e)) throw conflict('username');
      throw e;
    }
    return this.me(userId);
  }

  /**
   * Deletes the account: its tokens stop first (nothing new can start), then every video
   * goes as DELETE /videos/{id} removes one (jobs, files, rows), then the user row with
   * what cascades from it. A crash midway leaves an account its owner can sign in to and
   * delete again. The generation cache stays: see README ("Deleting an account").
   */
  async deleteMe(userId: string, dto: DeleteMeDto): Promise<void> {
    await this.confirmPassword(userId, dto.password, 'Password is wrong');
    await this.tokens.revokeAll(userId);
    await this.videos.removeAllOf(userId);
    await this.users.deleteById(userId);
    await this.revocations.publish(userId);
  }

  private async confirmPassword(userId: string, password: string, message: string): Promise<void> {
    const user = await this.users.findByIdWithHash(userId);
    if (!user) throw new UnauthorizedException('Invalid access token');
    if (!(await this.passwords.verify(password, user.passwordHash))) throw new ForbiddenException(message);
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
