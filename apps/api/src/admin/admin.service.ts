import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AccessRevocations, TokenService } from '@app/auth';
import { type AdminUserChanges, UserRepository, UserRole, type UserWithUsage } from '@app/db';
import { toUserDto } from '../auth/auth.service.js';
import type { AdminUserDto, AdminUserListDto, AdminUsersQueryDto, UpdateAdminUserDto } from './admin.dto.js';

@Injectable()
export class AdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly revocations: AccessRevocations,
  ) {}

  async list(query: AdminUsersQueryDto): Promise<AdminUserListDto> {
    const { items, total } = await this.users.listWithUsage({ page: query.page, limit: query.limit });
    return { items: items.map(toAdminUserDto), total, page: query.page, limit: query.limit };
  }

  /**
   * Role, disabled flag and quotas. Disabling stops the account's tokens at once (refresh
   * tokens revoked, access tokens cut off by tokens_valid_after); enabling again does not
   * bring them back. An admin cannot disable or demote themselves (the last admin would
   * lock everyone out of this route; `npm run admin` is the way back).
   */
  async update(callerId: string, id: string, dto: UpdateAdminUserDto): Promise<AdminUserDto> {
    if (id === callerId && (dto.disabled === true || dto.role === UserRole.User)) {
      throw new ConflictException('An admin cannot disable or demote their own account');
    }
    const changes: AdminUserChanges = {};
    if (dto.role !== undefined) changes.role = dto.role;
    if (dto.disabled !== undefined) changes.disabled = dto.disabled;
    if (dto.quotaConcurrent !== undefined) changes.quotaConcurrent = dto.quotaConcurrent;
    if (dto.quotaDaily !== undefined) changes.quotaDaily = dto.quotaDaily;
    if (!(await this.users.adminUpdate(id, changes))) throw new NotFoundException('User not found');
    if (dto.disabled === true) await this.tokens.revokeAll(id);
    // An enable too: tokens checked without the database must see the account as it is now.
    else if (dto.disabled === false) await this.revocations.publish(id);
    return this.get(id);
  }

  private async get(id: string): Promise<AdminUserDto> {
    const found = await this.users.findWithUsage(id);
    if (!found) throw new NotFoundException('User not found');
    return toAdminUserDto(found);
  }
}

function toAdminUserDto({ user, videosTotal, videosInProgress, videosLast24h }: UserWithUsage): AdminUserDto {
  return {
    ...toUserDto(user),
    disabled: user.disabled,
    quotaConcurrent: user.quotaConcurrent,
    quotaDaily: user.quotaDaily,
    usage: { videosTotal, videosInProgress, videosLast24h },
  };
}
