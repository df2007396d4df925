import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { CanonicalUuidPipe } from '../common/canonical-uuid.pipe.js';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveriesQueryDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookListDto,
} from './webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

const WebhookId = () => Param('id', new CanonicalUuidPipe('Webhook not found'));

/** The caller's own webhook endpoints; anyone else's answers 404 like a missing one. */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Add an endpoint; the answer holds its signing secret, shown only this once' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrors(400, 401, 409, 413, 415)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user.id, dto);
  }

  @Get()
  @ApiOperation({ summary: "The caller's endpoints, oldest first, with whether (and why) each is disabled" })
  @ApiOkResponse({ type: WebhookListDto })
  @ApiErrors(401)
  list(@CurrentUser() user: AuthUser): Promise<WebhookListDto> {
    return this.webhooks.list(user.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an endpoint; its pending deliveries are not sent' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(401, 404)
  async remove(@CurrentUser() user: AuthUser, @WebhookId() id: string): Promise<void> {
    await this.webhooks.remove(user.id, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "An endpoint's recent deliveries, newest first, each with its attempts and next retry" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiErrors(400, 401, 404)
  deliveries(@CurrentUser() user: AuthUser, @WebhookId() id: string, @Query() query: WebhookDeliveriesQueryDto): Promise<WebhookDeliveryListDto> {
    return this.webhooks.deliveries(user.id, id, query);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test event to the endpoint (also to a disabled one: once delivered, it is enabled again)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiErrors(401, 404)
  test(@CurrentUser() user: AuthUser, @WebhookId() id: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.test(user.id, id);
  }
}
