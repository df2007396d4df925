import { BadRequestException } from '@nestjs/common';

export const CAPTION_FORMATS = ['vtt', 'srt'] as const;
export type CaptionFormat = (typeof CAPTION_FORMATS)[number];

/**
 * `?format=` of the captions route. Read by hand, not through a query DTO: the route also
 * takes a signed link's uid/iat/expires/sig, which the strict validation pipe would refuse.
 */
export function parseCaptionFormat(value: unknown): CaptionFormat {
  if (value === undefined) return 'vtt';
  if (typeof value === 'string' && (CAPTION_FORMATS as readonly string[]).includes(value)) return value as CaptionFormat;
  const shown = typeof value === 'string' ? `"${value.slice(0, 20)}"` : 'more than one value';
  throw new BadRequestException(`format must be one of ${CAPTION_FORMATS.join(', ')} (got ${shown})`);
}
