import { CHANGE_EVENT_TYPES, EntitlementOrigin } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EntitlementDto } from '../../entitlements/fields/entitlement.fields';
import { OfferDto } from '../../offers/fields/offer.fields';
import { WebhookDeliveryDto, WebhookEndpointDto } from '../fields/webhook-endpoint.fields';

export class WebhookEndpointResponse {
  @ApiProperty({ type: WebhookEndpointDto })
  endpoint: WebhookEndpointDto;
}

/** Creation and rotation: the endpoint and its signing secret, shown this once. */
export class WebhookEndpointWithSecretResponse {
  @ApiProperty({ type: WebhookEndpointDto })
  endpoint: WebhookEndpointDto;

  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks, `whsec_` + base64). Shown only in this response: store it.',
  })
  secret: string;
}

export class ListWebhookEndpointsResponse {
  @ApiProperty({ type: [WebhookEndpointDto], description: 'Oldest first.' })
  endpoints: WebhookEndpointDto[];

  @ApiProperty({ example: '', description: 'Pass as page_token for the next page; empty when there are no more.' })
  next_page_token: string;
}

/** `{}`: google.protobuf.Empty. */
export class DeleteWebhookEndpointResponse {}

export class WebhookDeliveryResponse {
  @ApiProperty({ type: WebhookDeliveryDto })
  delivery: WebhookDeliveryDto;
}

export class ListWebhookDeliveriesResponse {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Newest first.' })
  deliveries: WebhookDeliveryDto[];

  @ApiProperty({ example: '', description: 'Pass as page_token for the next page; empty when there are no more.' })
  next_page_token: string;
}

/** Body of PATCH .../endpoints/{endpoint_id}. */
export class WebhookEndpointPatchDto {
  @ApiPropertyOptional({ example: 'https://drm.example.com/hooks/v2' })
  url?: string;
  @ApiPropertyOptional({ example: 'DRM licence server' })
  description?: string;
  @ApiPropertyOptional({ type: String, isArray: true, enum: CHANGE_EVENT_TYPES, enumName: 'ChangeEventType' })
  event_types?: string[];
  @ApiPropertyOptional({
    example: true,
    description:
      'true re-enables an endpoint the dispatcher disabled (its failing streak starts over); false disables it.',
  })
  enabled?: boolean;
}

export class UpdateWebhookEndpointRequest {
  @ApiProperty({ type: WebhookEndpointPatchDto })
  endpoint: WebhookEndpointPatchDto;

  @ApiPropertyOptional({
    example: 'url,event_types',
    description:
      'Comma-separated fields to change (url, description, event_types, enabled). Empty: the fields present.',
  })
  update_mask?: string;
}

/** Body of the rotate-secret and redeliver calls. */
export class WebhookProjectRequest {
  @ApiProperty({ example: 'rtt-show', description: "The endpoint's project." })
  project_id: string;
}

export class ChangeEventDataDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'The resource before the change, as the Motto-style API shows it (EntitlementDto for entitlement.*, OfferDto for ' +
      'offer.*); null for *.created.',
  })
  before: EntitlementDto | OfferDto | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The resource after the change (EntitlementDto or OfferDto); null for *.deleted.',
  })
  after: EntitlementDto | OfferDto | null;
}

/**
 * The body of every change notification: a webhook POST and a NATS message alike (schema only; no
 * operation returns it).
 */
export class ChangeEvent {
  @ApiProperty({
    example: '8f0c6f2e-4b7a-4d0e-b1f5-2a9c3e7d6b10',
    description: 'Unique id of the event (also `webhook-id`, and the NATS msgID): de-duplicate on it.',
  })
  id: string;

  @ApiProperty({ enum: CHANGE_EVENT_TYPES, enumName: 'ChangeEventType', example: 'entitlement.revoked' })
  type: string;

  @ApiProperty({ example: 'rtt-show' })
  project_id: string;

  @ApiProperty({
    example: '3b7e1f4a-9c2d-4e8f-a1b0-5c6d7e8f9a0b',
    description: 'The id of the entitlement (whichever API created it) or offer.',
  })
  resource_id: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T12:00:00.123Z', description: 'When the change was made.' })
  occurred_time: string;

  @ApiProperty({ example: 'b7c8d9e0-1f2a-4b3c-8d4e-5f6a7b8c9d0e', description: 'x-correlation-id of the request.' })
  correlation_id: string;

  @ApiProperty({ example: 'back-office-1', description: "The token's subject that made the change." })
  actor: string;

  @ApiProperty({ enum: EntitlementOrigin, enumName: 'ChangeApi', description: 'The API the change came through.' })
  api: string;

  @ApiProperty({
    example: false,
    description: 'true: the event was larger than WEBHOOK_MAX_BODY_BYTES and comes without data (read the resource).',
  })
  truncated: boolean;

  @ApiProperty({ type: ChangeEventDataDto })
  data: ChangeEventDataDto;
}
