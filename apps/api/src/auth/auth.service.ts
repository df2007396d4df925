import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { PasswordService, TokenService } from '@app/auth';
import { uniqueViolation, type User, UserRepository } from '@app/db';
import type { AuthResponseDto, LoginDto, RegisterDto, UserDto } from './auth.dto.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResponseDto> {
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

  async login(dto: LoginDto): Promise<AuthResponseDto> {
    const user = await this.users.findByEmailWithHash(dto.email);
    // Same answer, and about the same time, for an unknown email and a wrong password.
    if (!(await this.passwords.verify(dto.password, user?.passwordHash)) || !user) {
      throw new UnauthorizedException('Invalid email or password');
    }
    return { user: toUserDto(user), ...(await this.tokens.issue(user)) };
  }

  async me(userId: string): Promise<UserDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new UnauthorizedException('Invalid access token');
    return toUserDto(user);
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
