import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard, type AuthUser, CurrentUser, JwtAuthGuard, QueueDashboardPass } from '@app/auth';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { QueueDashboardLinkDto } from './queue-dashboard.dto.js';

/**
 * The way into the queue dashboard (Bull Board at /admin/queues, queue-dashboard.mount.ts):
 * a browser cannot send a bearer header to a page it opens, so an admin gets a short-lived
 * signed link instead.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard, AdminGuard)
@Controller('admin/queues')
export class QueueDashboardController {
  constructor(private readonly pass: QueueDashboardPass) {}

  @Post('link')
  @HttpCode(200)
  @ApiOperation({ summary: 'A short-lived signed link to the queue dashboard (Bull Board) for a browser' })
  @ApiOkResponse({ type: QueueDashboardLinkDto })
  @ApiErrors(401, 403, 413, 415)
  link(@CurrentUser() caller: AuthUser): QueueDashboardLinkDto {
    const { url, expiresAt } = this.pass.issueLink(caller.id);
    return { url, expiresAt: expiresAt.toISOString() };
  }
}
