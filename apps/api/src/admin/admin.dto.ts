import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { UserRole } from '@app/db';
import { IsOptionalNotNull } from '../common/optional.decorator.js';
import { PageQueryDto } from '../common/page-query.dto.js';
import { UserDto } from '../auth/auth.dto.js';

const QUOTA_MAX = 1_000_000;

export class AdminUsersQueryDto extends PageQueryDto {}

/** Absent: unchanged. For quotas, null: back to the deployment's default. */
export class UpdateAdminUserDto {
  @ApiPropertyOptional({ enum: UserRole })
  @IsOptionalNotNull()
  @IsIn(Object.values(UserRole), { message: `role must be one of ${Object.values(UserRole).join(', ')}` })
  role?: UserRole;

  @ApiPropertyOptional({ description: 'A disabled account cannot sign in or refresh, and its tokens stop at once' })
  @IsOptionalNotNull()
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: QUOTA_MAX, description: 'Videos in progress at once; null: the default' })
  @IsOptional()
  @IsInt({ message: 'quotaConcurrent must be a whole number or null' })
  @Min(0, { message: 'quotaConcurrent must be 0 or more' })
  @Max(QUOTA_MAX, { message: `quotaConcurrent must be at most ${QUOTA_MAX}` })
  quotaConcurrent?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: QUOTA_MAX, description: 'Videos per rolling 24 h; null: the default' })
  @IsOptional()
  @IsInt({ message: 'quotaDaily must be a whole number or null' })
  @Min(0, { message: 'quotaDaily must be 0 or more' })
  @Max(QUOTA_MAX, { message: `quotaDaily must be at most ${QUOTA_MAX}` })
  quotaDaily?: number | null;
}

export class UserUsageDto {
  @ApiProperty() videosTotal: number;
  @ApiProperty({ description: 'Queued or being made' }) videosInProgress: number;
  @ApiProperty({ description: 'Submitted in the last 24 h' }) videosLast24h: number;
}

export class AdminUserDto extends UserDto {
  @ApiProperty() disabled: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: the default' }) quotaConcurrent: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: the default' }) quotaDaily: number | null;
  @ApiProperty({ type: UserUsageDto }) usage: UserUsageDto;
}

export class AdminUserListDto {
  @ApiProperty({ type: [AdminUserDto] }) items: AdminUserDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}
