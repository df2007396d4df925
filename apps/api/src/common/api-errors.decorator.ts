import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid (the message names the field)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  429: 'Too many requests',
  503: 'A dependency (database, Redis) is unavailable',
};

/** Documents each listed error status with the shared error schema. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
}
