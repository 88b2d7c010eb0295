import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { MottoErrorDto } from '../motto/motto-error';
import { decodePageToken, encodePageToken, pageSize, requiredQuery } from '../motto/wire/page-token';
import {
  ChangeEvent,
  DeleteWebhookEndpointResponse,
  ListWebhookDeliveriesResponse,
  ListWebhookEndpointsResponse,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryResponse,
  WebhookEndpointResponse,
  WebhookEndpointWithSecretResponse,
  WebhookProjectRequest,
} from './dto/webhook.dto';
import { CreateWebhookEndpointRequest } from './fields/webhook-endpoint.fields';
import { readCreateEndpoint, readEndpointChange, readProjectBody, toDeliveryDto, toEndpointDto } from './webhook-wire';
import { WebhooksService } from './webhooks.service';

const PROJECT_QUERY = {
  name: 'project_id',
  required: true,
  type: String,
  example: 'rtt-show',
  description: "The endpoint's project.",
};
const ENDPOINT_ID_PARAM = { name: 'endpoint_id', type: String, example: '5d1b7c1e-2f0a-4a8e-9b67-3c1f0e2a9d44' };
const INVALID = {
  status: 400,
  type: MottoErrorDto,
  description: 'invalid_argument: `details` names every offending field by its path.',
};
const NOT_FOUND = { status: 404, type: MottoErrorDto, description: 'not_found: no such endpoint in the project.' };

@ApiTags('Webhooks')
@ApiExtraModels(ChangeEvent)
@MottoApi()
@MottoErrors(401, 403, 500)
@Controller('monetization/webhooks/v1/endpoints')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(200)
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Create a webhook endpoint',
    description:
      'Registers an HTTPS URL to receive the change events of the project (schema ChangeEvent), signed per Standard Webhooks. ' +
      'The signing secret is in this response only. The URL must not resolve to a loopback, private, link-local or metadata ' +
      'address. Needs the editor role on the project.',
    callbacks: {
      changeEvent: {
        '{$request.body#/url}': {
          post: {
            summary: 'A change event (webhook)',
            description:
              'One event per POST, signed per Standard Webhooks: headers webhook-id (the event id), webhook-timestamp (Unix ' +
              'seconds) and webhook-signature (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, space-separated when two secrets ' +
              'sign during a rotation). Retried with exponential backoff for at least 24 hours until a 2xx answer.',
            security: [],
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ChangeEvent' } } },
            },
            responses: {
              '200': { description: 'Any 2xx acknowledges the event.' },
              '400': { description: 'Any other answer (or none within the timeout) is retried.' },
            },
          },
        },
      },
    },
  })
  @ApiBody({ type: CreateWebhookEndpointRequest })
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponse, description: 'The endpoint, and its secret (shown once).' })
  @ApiResponse({
    ...INVALID,
    description: `${INVALID.description} Also for a refused URL, or a project that does not exist.`,
  })
  async createWebhookEndpoint(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<WebhookEndpointWithSecretResponse> {
    const input = readCreateEndpoint(body);
    principal.requireProject(input.projectId, 'editor');
    const { endpoint, secret } = await this.webhooks.create(input);
    return { endpoint: toEndpointDto(endpoint), secret };
  }

  @Get()
  @PlatformAuth('editor')
  @ApiOperation({ summary: 'List webhook endpoints', description: "The project's endpoints, oldest first." })
  @ApiQuery(PROJECT_QUERY)
  @ApiQuery({ name: 'page_size', required: false, type: String, description: 'Default 50, at most 1000.' })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiOkResponse({ type: ListWebhookEndpointsResponse })
  @ApiResponse(INVALID)
  @ApiResponse({ ...NOT_FOUND, description: 'not_found: the project does not exist.' })
  async listWebhookEndpoints(
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
    @Query('page_size') rawPageSize?: string,
    @Query('page_token') pageToken?: string,
  ): Promise<ListWebhookEndpointsResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'editor');
    const limit = pageSize(rawPageSize);
    const after = decodePageToken(
      'webhook-endpoints',
      pageToken,
      2,
      (k): k is [string, string] =>
        typeof k[0] === 'string' && !Number.isNaN(Date.parse(k[0])) && typeof k[1] === 'string',
    );
    const page = await this.webhooks.list(project, limit, after);
    return {
      endpoints: page.endpoints.map(toEndpointDto),
      next_page_token: page.next ? encodePageToken('webhook-endpoints', page.next) : '',
    };
  }

  @Get(':endpoint_id')
  @PlatformAuth('editor')
  @ApiOperation({ summary: 'Get a webhook endpoint', description: 'The endpoint (never its secret).' })
  @ApiParam(ENDPOINT_ID_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_FOUND)
  async getWebhookEndpoint(
    @Param('endpoint_id') endpointId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
  ): Promise<WebhookEndpointResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'editor');
    return { endpoint: toEndpointDto(await this.webhooks.get(project, endpointId)) };
  }

  @Patch(':endpoint_id')
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Update a webhook endpoint',
    description:
      'Changes url, description, event_types or enabled (the paths of update_mask; empty: the fields present in `endpoint`). ' +
      '`enabled: true` re-enables an endpoint disabled after failing for days.',
  })
  @ApiParam(ENDPOINT_ID_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiBody({ type: UpdateWebhookEndpointRequest })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_FOUND)
  async updateWebhookEndpoint(
    @Param('endpoint_id') endpointId: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
  ): Promise<WebhookEndpointResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'editor');
    const change = readEndpointChange(body);
    return { endpoint: toEndpointDto(await this.webhooks.update(project, endpointId, change)) };
  }

  @Delete(':endpoint_id')
  @PlatformAuth('editor')
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'Deletes the endpoint and its delivery log.' })
  @ApiParam(ENDPOINT_ID_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiOkResponse({ type: DeleteWebhookEndpointResponse, description: '`{}`: deleted.' })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_FOUND)
  async deleteWebhookEndpoint(
    @Param('endpoint_id') endpointId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
  ): Promise<DeleteWebhookEndpointResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'editor');
    await this.webhooks.delete(project, endpointId);
    return {};
  }

  @Post(':endpoint_id/rotate-secret')
  @HttpCode(200)
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Rotate the signing secret of a webhook endpoint',
    description:
      'Returns a new secret (shown once). For the grace period (WEBHOOK_SECRET_GRACE_S, default 24 hours) every delivery ' +
      'carries two signatures in webhook-signature, by the new secret and by the previous one, so receivers can switch ' +
      'without missing an event; `previous_secret_expire_time` says until when.',
  })
  @ApiParam(ENDPOINT_ID_PARAM)
  @ApiBody({ type: WebhookProjectRequest })
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponse })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_FOUND)
  async rotateWebhookEndpointSecret(
    @Param('endpoint_id') endpointId: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<WebhookEndpointWithSecretResponse> {
    const project = readProjectBody(body);
    principal.requireProject(project, 'editor');
    const { endpoint, secret } = await this.webhooks.rotateSecret(project, endpointId);
    return { endpoint: toEndpointDto(endpoint), secret };
  }

  @Get(':endpoint_id/deliveries')
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'List the deliveries of a webhook endpoint',
    description: 'The delivery log, newest first: status, attempts, the last status code and error, the next attempt.',
  })
  @ApiParam(ENDPOINT_ID_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiQuery({ name: 'page_size', required: false, type: String, description: 'Default 50, at most 1000.' })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiOkResponse({ type: ListWebhookDeliveriesResponse })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_FOUND)
  async listWebhookDeliveries(
    @Param('endpoint_id') endpointId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
    @Query('page_size') rawPageSize?: string,
    @Query('page_token') pageToken?: string,
  ): Promise<ListWebhookDeliveriesResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'editor');
    const limit = pageSize(rawPageSize);
    const before = decodePageToken(
      'webhook-deliveries',
      pageToken,
      1,
      (k): k is [string] => typeof k[0] === 'string' && /^\d{1,19}$/.test(k[0]),
    )?.[0];
    const page = await this.webhooks.deliveries(project, endpointId, limit, before);
    return {
      deliveries: page.deliveries.map(toDeliveryDto),
      next_page_token: page.next ? encodePageToken('webhook-deliveries', [page.next]) : '',
    };
  }

  @Post(':endpoint_id/deliveries/:delivery_id/redeliver')
  @HttpCode(200)
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Redeliver an event to a webhook endpoint',
    description:
      'Queues the event of the delivery again (a new delivery, due now; it keeps its place in the order of its resource).',
  })
  @ApiParam(ENDPOINT_ID_PARAM)
  @ApiParam({ name: 'delivery_id', type: String, example: '1042' })
  @ApiBody({ type: WebhookProjectRequest })
  @ApiOkResponse({ type: WebhookDeliveryResponse, description: 'The new delivery.' })
  @ApiResponse(INVALID)
  @ApiResponse({ ...NOT_FOUND, description: 'not_found: no such endpoint, or no such delivery of it.' })
  async redeliverWebhook(
    @Param('endpoint_id') endpointId: string,
    @Param('delivery_id') deliveryId: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<WebhookDeliveryResponse> {
    const project = readProjectBody(body);
    principal.requireProject(project, 'editor');
    return { delivery: toDeliveryDto(await this.webhooks.redeliver(project, endpointId, deliveryId)) };
  }
}
