import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEFAULT_EVENTS, SUBSCRIBABLE_EVENTS, WebhookEventType } from '@app/db';
import { MAX_WEBHOOK_URL_LENGTH } from '@app/webhooks';
import { PageQueryDto } from '../common/page-query.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const EVENT_LIST = SUBSCRIBABLE_EVENTS.join(', ');

export class CreateWebhookDto {
  @ApiProperty({
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    example: 'https://hooks.example.com/blinked',
    description: 'https (http only where the deployment allows it), on a host whose every address is public',
  })
  @IsString({ message: 'url must be a string' })
  @MaxLength(MAX_WEBHOOK_URL_LENGTH, { message: `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters long` })
  url: string;

  @ApiPropertyOptional({
    enum: SUBSCRIBABLE_EVENTS,
    isArray: true,
    default: DEFAULT_EVENTS,
    example: [WebhookEventType.VideoCompleted, WebhookEventType.VideoFailed],
    description: 'The events to receive; video.progress (one per stage change) only when listed',
  })
  @IsOptional()
  @IsArray({ message: `events must be a list of event types (${EVENT_LIST})` })
  @ArrayNotEmpty({ message: `events must not be empty; leave it out for the default (${DEFAULT_EVENTS.join(', ')})` })
  @ArrayUnique({ message: 'events must list each type once' })
  @IsIn(SUBSCRIBABLE_EVENTS, { each: true, message: `events must each be one of ${EVENT_LIST}` })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 200, example: 'Order system' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'description must be a string' })
  @MaxLength(200, { message: 'description must be at most 200 characters long' })
  description?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: SUBSCRIBABLE_EVENTS, isArray: true }) events: WebhookEventType[];
  @ApiProperty({ description: 'False once disabled for failing too long (see disabledReason)' }) enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled, and how to enable it again' }) disabledReason: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Every delivery attempt since then failed; null while deliveries go through',
  })
  failingSince: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The Standard Webhooks signing secret. Shown this once: keep it; it cannot be read again',
  })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
  @ApiProperty() total: number;
}

export class WebhookAttemptDto {
  @ApiProperty({ minimum: 1 }) number: number;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's status code, when it answered" }) statusCode: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'no answer within 5 s',
    description: 'What went wrong when it did not answer (or the attempt was not sent)',
  })
  error: string | null;
  @ApiProperty() durationMs: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header: the same for every attempt' }) eventId: string;
  @ApiProperty({ enum: WebhookEventType }) event: WebhookEventType;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) videoId: string | null;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: 'pending' | 'delivered' | 'failed';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due, while pending' }) nextRetryAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
  @ApiProperty({ type: [WebhookAttemptDto] }) attempts: WebhookAttemptDto[];
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items: WebhookDeliveryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}

export class WebhookDeliveriesQueryDto extends PageQueryDto {}
