import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from '@app/auth';
import { IsOptionalNotNull } from '../common/optional.decorator.js';
import { ByteLengthBetween } from './byte-length.validator.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'ada', pattern: '^[A-Za-z0-9_.-]{3,32}$' })
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,32}$/, { message: 'username must be 3 to 32 letters, digits, "_", "." or "-"' })
  username: string;

  @ApiProperty({ example: 'correct horse battery', minLength: PASSWORD_MIN_BYTES, maxLength: PASSWORD_MAX_BYTES, description: '8..72 bytes (UTF-8)' })
  @IsString()
  @ByteLengthBetween(PASSWORD_MIN_BYTES, PASSWORD_MAX_BYTES)
  password: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery' })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'A refresh token from register, login or a previous refresh' })
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}

export const AVATAR_URL_MAX = 2000;

/** PATCH /auth/me: a new password (with the current one), or a new username or avatar. */
export class UpdateMeDto {
  @ApiPropertyOptional({ description: 'Required with newPassword' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(1024)
  currentPassword?: string;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN_BYTES, maxLength: PASSWORD_MAX_BYTES, description: '8..72 bytes (UTF-8); signs out every session' })
  @IsOptionalNotNull()
  @IsString()
  @ByteLengthBetween(PASSWORD_MIN_BYTES, PASSWORD_MAX_BYTES)
  newPassword?: string;

  @ApiPropertyOptional({ example: 'ada', pattern: '^[A-Za-z0-9_.-]{3,32}$' })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,32}$/, { message: 'username must be 3 to 32 letters, digits, "_", "." or "-"' })
  username?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: AVATAR_URL_MAX,
    example: 'https://example.com/ada.png',
    description: 'An https URL; null removes it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(AVATAR_URL_MAX)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'avatarUrl must be an https URL' })
  avatarUrl?: string | null;
}

/** DELETE /auth/me: the password confirms it. */
export class DeleteMeDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ example: 'ada' }) username: string;
  @ApiProperty({ type: String, nullable: true, example: null }) avatarUrl: string | null;
  @ApiProperty({ enum: ['user', 'admin'] }) role: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class UsageDto {
  @ApiProperty({ description: 'Videos not yet completed, failed or cancelled', example: 1 }) videosInProgress: number;
  @ApiProperty({ description: 'Videos created in the last 24 hours', example: 4 }) videosToday: number;
}

export class LimitsDto {
  @ApiProperty({ description: 'Most videos in progress at once (QUOTA_CONCURRENT_VIDEOS, or set for this account)', example: 3 })
  concurrentVideos: number;
  @ApiProperty({ description: 'Most videos created in any 24 hours (QUOTA_DAILY_VIDEOS, or set for this account)', example: 50 })
  dailyVideos: number;
  @ApiProperty({ description: 'Requests per minute (RATE_LIMIT_PER_MINUTE)', example: 300 }) requestsPerMinute: number;
}

export class MeDto extends UserDto {
  @ApiProperty({ type: UsageDto }) usage: UsageDto;
  @ApiProperty({ type: LimitsDto }) limits: LimitsDto;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT (HS256) for the Authorization: Bearer header' }) accessToken: string;
  @ApiProperty({ description: 'Opaque, single-use token for POST /auth/refresh' }) refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 }) expiresIn: number;
}

export class AuthResponseDto extends TokenPairDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
}
