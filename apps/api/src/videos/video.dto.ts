import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { VideoStatus } from '@app/db';
import { LimitField, PageField } from '../common/page-query.dto.js';
import { CURSOR_INVALID, CURSOR_MAX_LENGTH } from './video-cursor.js';
import {
  ASPECT_RATIOS,
  CAPTION_MODES,
  CAPTION_STYLES,
  type CaptionMode,
  type CaptionStyle,
  SLIDE_COUNT,
  THEME_NAMES,
  type VideoLinks,
  type VideoProviders,
  type VideoResource,
  type VideoUsageFigures,
} from '@app/common';
import { IsOptionalNotNull } from '../common/optional.decorator.js';
import { IsVideoMetadata, METADATA_LIMITS, type VideoMetadata } from './video-metadata.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const ASPECTS = Object.keys(ASPECT_RATIOS);
const SLIDE_COUNT_RANGE = `slideCount must be between ${SLIDE_COUNT.min} and ${SLIDE_COUNT.max}`;
// BCP-47 as people write it (language[-script][-region][-variant]); case is normalised.
const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8})*$/;

export function normaliseLanguageTag(tag: string): string {
  return tag
    .split('-')
    .map((part, i) =>
      i === 0
        ? part.toLowerCase()
        : part.length === 2
          ? part.toUpperCase()
          : part.length === 4
            ? part[0]!.toUpperCase() + part.slice(1).toLowerCase()
            : part,
    )
    .join('-');
}

export class GenerateVideoDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, example: 'Explain how photosynthesis turns light into sugar, for a curious 12-year-old.' })
  @Transform(trim)
  @IsString({ message: 'prompt must be a string' })
  @Length(1, 4000, { message: 'prompt must be 1 to 4000 characters long after trimming' })
  prompt: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Photosynthesis in two minutes' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200, { message: 'title must be 1 to 200 characters long' })
  title?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: SLIDE_COUNT.min, maximum: SLIDE_COUNT.max, default: SLIDE_COUNT.default })
  @IsOptional()
  @IsInt({ message: 'slideCount must be a whole number' })
  @Min(SLIDE_COUNT.min, { message: SLIDE_COUNT_RANGE })
  @Max(SLIDE_COUNT.max, { message: SLIDE_COUNT_RANGE })
  slideCount?: number;

  @ApiPropertyOptional({ default: 'en-US', example: 'en-US', description: 'BCP-47 language tag of the narration and slides' })
  @IsOptional()
  @IsString()
  @Matches(BCP47, { message: 'language must be a BCP-47 tag such as en-US or fr' })
  @Transform(({ value }) => (typeof value === 'string' && BCP47.test(value) ? normaliseLanguageTag(value) : value))
  language?: string;

  @ApiPropertyOptional({ example: 'en-US-Neural2-F', description: 'Provider voice name; the default voice for the language when absent' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.+:-]{1,100}$/, { message: 'voice must be 1 to 100 letters, digits or "_.+:-"' })
  voice?: string;

  @ApiPropertyOptional({ enum: ASPECTS, default: '16:9' })
  @IsOptional()
  @IsIn(ASPECTS, { message: `aspectRatio must be one of ${ASPECTS.join(', ')}` })
  aspectRatio?: string;

  @ApiPropertyOptional({ enum: THEME_NAMES, default: THEME_NAMES[0] })
  @IsOptional()
  @IsIn([...THEME_NAMES], { message: `theme must be one of ${THEME_NAMES.join(', ')}` })
  theme?: string;

  @ApiPropertyOptional({
    enum: CAPTION_MODES,
    description:
      '`burned` draws the captions into the frames; `sidecar` serves them beside the video. Default: burned for 9:16 (feeds are watched muted), sidecar otherwise',
  })
  @IsOptional()
  @IsIn([...CAPTION_MODES], { message: `captions must be one of ${CAPTION_MODES.join(', ')}` })
  captions?: CaptionMode;

  @ApiPropertyOptional({
    enum: CAPTION_STYLES,
    default: CAPTION_STYLES[0],
    description: 'Burned captions: a phrase at a time, or the phrase with the spoken word highlighted',
  })
  @IsOptional()
  @IsIn([...CAPTION_STYLES], { message: `captionStyle must be one of ${CAPTION_STYLES.join(', ')}` })
  captionStyle?: CaptionStyle;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    maxProperties: METADATA_LIMITS.keys,
    example: { orderId: 'A-1001' },
    description:
      `Your own labels, returned in the video and in every webhook event: at most ${METADATA_LIMITS.keys} keys of 1 to ` +
      `${METADATA_LIMITS.keyLength} letters, digits or "_.:-", string values, ${METADATA_LIMITS.bytes} bytes in all`,
  })
  @IsOptional()
  @IsVideoMetadata()
  metadata?: VideoMetadata;
}

// Absent leaves a field unchanged; null is refused (the columns are NOT NULL, and an empty description is "").
export class UpdateVideoDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString({ message: 'title must be a string' })
  @Length(1, 200, { message: 'title must be 1 to 200 characters long' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptionalNotNull()
  @IsString({ message: 'description must be a string' })
  @MaxLength(5000, { message: 'description must be at most 5000 characters long' })
  description?: string;
}

// Like PageQueryDto, but page has no default, so a page sent beside a cursor can be told from none (the service answers 400).
export class ListVideosQueryDto {
  @PageField('Offset paging: page n of `limit` videos. Rows created or deleted meanwhile shift the pages; prefer `cursor`. Not with `cursor`')
  page?: number;

  @LimitField()
  limit: number = 20;

  @ApiPropertyOptional({
    maxLength: CURSOR_MAX_LENGTH,
    description:
      'Preferred way to page: the `nextCursor` of the previous answer, with the same `status` filter (another filter is 400). ' +
      'Each video is listed exactly once however videos are created or deleted meanwhile, and deep pages cost no more than the first. Not with `page`',
  })
  @IsOptional()
  @IsString({ message: CURSOR_INVALID })
  @MaxLength(CURSOR_MAX_LENGTH, { message: CURSOR_INVALID })
  cursor?: string;

  @ApiPropertyOptional({ enum: VideoStatus })
  @IsOptional()
  @IsIn(Object.values(VideoStatus), { message: `status must be one of ${Object.values(VideoStatus).join(', ')}` })
  status?: VideoStatus;
}

/** The Swagger side of the shared VideoResource (@app/common), which builds the values. */
export class VideoLinksDto implements VideoLinks {
  @ApiProperty({ example: '/api/v1/videos/3f2b…' }) self: string;
  @ApiProperty({ type: String, nullable: true, description: 'The MP4, once completed' }) file: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A JPEG thumbnail, once completed' }) thumbnail: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'WebVTT captions, once completed (add &format=srt for SubRip)' }) captions: string | null;
  @ApiProperty({ description: 'Server-sent events with progress' }) events: string;
}

export class VideoUsageDto implements VideoUsageFigures {
  @ApiProperty() llmInputTokens: number;
  @ApiProperty() llmOutputTokens: number;
  @ApiProperty() ttsCharacters: number;
  @ApiProperty({ description: 'Generation results reused from the cache' }) cacheHits: number;
  @ApiProperty() cacheMisses: number;
  @ApiProperty({ type: 'integer', description: 'Pictures fetched or generated for the slides (reused ones not counted)' }) images: number;
}

export class VideoProvidersDto implements VideoProviders {
  @ApiProperty({ type: String, nullable: true, example: 'offline' }) llm: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'offline-v1' }) model: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'festival' }) tts: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'icons', description: "Where the slides' pictures came from" }) image: string | null;
}

export class VideoDto implements VideoResource {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { orderId: 'A-1001' },
    description: 'Your labels from POST /videos/generate',
  })
  metadata: Record<string, string>;
  @ApiProperty() prompt: string;
  @ApiProperty({ enum: VideoStatus }) status: VideoStatus;
  @ApiProperty({ example: 'Voicing slide 3 of 6' }) stage: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, description: 'Never goes backwards' }) progress: number;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Which stage failed and why' }) error: string | null;
  @ApiProperty({ type: 'integer' }) slideCount: number;
  @ApiProperty({ type: Number, nullable: true }) durationSeconds: number | null;
  @ApiProperty({ enum: ASPECTS }) aspectRatio: string;
  @ApiProperty() language: string;
  @ApiProperty({ type: String, nullable: true }) voice: string | null;
  @ApiProperty() theme: string;
  @ApiProperty({ enum: CAPTION_MODES }) captions: CaptionMode;
  @ApiProperty({ enum: CAPTION_STYLES }) captionStyle: CaptionStyle;
  @ApiProperty({ type: VideoProvidersDto }) providers: VideoProvidersDto;
  @ApiProperty({ type: VideoUsageDto }) usage: VideoUsageDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: Date | null;
  @ApiProperty({ type: VideoLinksDto }) links: VideoLinksDto;
}

export class VideoListDto {
  @ApiProperty({ type: [VideoDto] }) items: VideoDto[];
  @ApiProperty({ type: 'integer', description: 'How many videos match' })
  total: number;
  @ApiProperty({ type: 'integer', description: 'The number of this page, whether asked by `page` or reached by `cursor`' })
  page: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` (with the same `status`) for the next page; null on the last page. Given on offset pages too, so a client can switch',
  })
  nextCursor: string | null;
}

/** The data of an `event: deleted` on a video's event stream. */
export class VideoDeletedEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}
