import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid (the message names the field)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  415: 'The body is not JSON',
  416: 'The requested byte range is outside the file',
  429: 'Too many requests',
  431: 'Request headers too large',
  503: 'A dependency (database, Redis) is unavailable',
};

/**
 * Documents each listed error status with the shared error schema, always as
 * application/json, even on routes whose success body is a video or an image.
 */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } },
      }),
    ),
  );
}
