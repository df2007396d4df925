import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The rules of `page`, for a list that needs to tell an absent page from page 1 (GET /videos). */
export const PageField = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1, description }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'page must be a whole number' }),
    Min(1, { message: 'page must be 1 or more' }),
    Max(100000, { message: 'page must be at most 100000' }),
  );

export const LimitField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be a whole number' }),
    Min(1, { message: 'limit must be between 1 and 100' }),
    Max(100, { message: 'limit must be between 1 and 100' }),
  );

/** `?page&limit` of every paged list, validated the same way everywhere. */
export class PageQueryDto {
  @PageField()
  page: number = 1;

  @LimitField()
  limit: number = 20;
}
