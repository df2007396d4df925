import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PasswordService, TokenService } from '@app/auth';
import { uniqueViolation, User } from '@app/db';
import type { AuthResponseDto, LoginDto, RegisterDto, UserDto } from './auth.dto.js';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResponseDto> {
    const email = dto.email.toLowerCase();
    const taken = await this.users
      .createQueryBuilder('u')
      .where('lower(u.email) = :email OR lower(u.username) = lower(:username)', { email, username: dto.username })
      .getMany();
    if (taken.length) throw conflict(taken.some((u) => u.email.toLowerCase() === email) ? 'email' : 'username');
    const passwordHash = await this.passwords.hash(dto.password);
    let user: User;
    try {
      user = await this.users.save(this.users.create({ email, username: dto.username, passwordHash }));
    } catch (e) {
      // Two registrations racing past the check above meet the unique index here.
      const constraint = uniqueViolation(e);
      if (constraint) throw conflict(constraint.includes('email') ? 'email' : 'username');
      throw e;
    }
    return { user: toUserDto(user), ...(await this.tokens.issue(user)) };
  }

  async login(dto: LoginDto): Promise<AuthResponseDto> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: dto.email })
      .getOne();
    // Same answer, and about the same time, for an unknown email and a wrong password.
    if (!(await this.passwords.verify(dto.password, user?.passwordHash)) || !user) {
      throw new UnauthorizedException('Invalid email or password');
    }
    return { user: toUserDto(user), ...(await this.tokens.issue(user)) };
  }

  async me(userId: string): Promise<UserDto> {
    const user = await this.users.findOne({ where: { id: userId } });
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
