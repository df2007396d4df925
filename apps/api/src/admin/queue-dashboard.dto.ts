import { ApiProperty } from '@nestjs/swagger';

export class QueueDashboardLinkDto {
  @ApiProperty({
    description: 'Open it in a browser (relative to the api): the queue dashboard for this admin, behind a short-lived session',
    example: '/admin/queues?uid=…&iat=…&expires=…&sig=…',
  })
  url: string;

  @ApiProperty({ format: 'date-time', description: 'The link must be opened before then' })
  expiresAt: string;
}
