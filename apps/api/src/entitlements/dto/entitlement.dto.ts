import { EntitlementEventKind, EntitlementOrigin } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Body of POST /monetization/entitlements/v1 (protobuf-JSON). Documented here; read by entitlement-wire.ts. */
export class UpsertEntitlementRequest {
  @ApiProperty({ example: 'rtt-show' })
  project_id: string;

  @ApiProperty({ example: 'user-8d2f', minLength: 1, maxLength: 256, description: 'The user id carried in the end user\'s JWT on the content-delivery side.' })
  user_id: string;

  @ApiProperty({ example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11', description: 'The offer the user is entitled to; must exist in the project.' })
  offer_id: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', format: 'date-time', description: 'Absent: never expires. In the past: revokes the entitlement.' })
  expiration_time?: string;

  @ApiPropertyOptional({ type: String, format: 'int64', example: '2', description: 'Devices that may stream at once; overrides the offer\'s limit. At least 1. Absent: the offer\'s limit.' })
  concurrency_limit?: string;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2 country where the user obtained the entitlement (EU portability).' })
  origin_country_code?: string;

  @ApiPropertyOptional({ example: 'cleeng-tx-88421', maxLength: 256 })
  source_id?: string;

  @ApiPropertyOptional({ example: 'cleeng', maxLength: 64 })
  source_type?: string;
}

export class EntitlementDto {
  @ApiProperty({ example: 'rtt-show' })
  project_id: string;
  @ApiProperty({ example: 'user-8d2f' })
  user_id: string;
  @ApiProperty({ example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11' })
  offer_id: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2027-01-01T00:00:00Z', description: 'null: never expires. For a revoked entitlement: when it was revoked (or its earlier expiry).' })
  expiration_time: string | null;
  @ApiProperty({ type: String, format: 'int64', nullable: true, example: '2', description: 'null: the offer\'s limit applies.' })
  concurrency_limit: string | null;
  @ApiProperty({ example: 'DE', description: 'Empty when unknown.' })
  origin_country_code: string;
  @ApiProperty({ example: 'cleeng-tx-88421' })
  source_id: string;
  @ApiProperty({ example: 'cleeng' })
  source_type: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' })
  create_time: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' })
  update_time: string;
}

export class EntitlementResponse {
  @ApiProperty({ type: EntitlementDto })
  entitlement: EntitlementDto;
}

export class ListEntitlementsResponse {
  @ApiProperty({ type: [EntitlementDto] })
  entitlements: EntitlementDto[];
  @ApiProperty({ example: '', description: 'Pass as page_token for the next page; empty when there are no more.' })
  next_page_token: string;
}

export class EntitlementEventDto {
  @ApiProperty({ type: String, format: 'int64', example: '42', description: 'Increasing with time.' })
  id: string;
  @ApiProperty({ example: '7a1d3c9e-0b7f-4f55-8f1a-2a4f5c6d7e8f', description: 'The entitlement\'s id in the shared store (the CRM gateway\'s _id).' })
  entitlement_id: string;
  @ApiProperty({ example: 'user-8d2f' })
  user_id: string;
  @ApiProperty({ example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11' })
  offer_id: string;
  @ApiProperty({ enum: EntitlementEventKind, enumName: 'EntitlementEventKind' })
  kind: EntitlementEventKind;
  @ApiProperty({ type: Object, nullable: true, description: 'The entitlement before the change (null when created).', example: null })
  before: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true, description: 'The entitlement after the change (null when deleted).', example: { subject_id: 'user-8d2f', product_id: 'offer-1', status: 'ACTIVE' } })
  after: Record<string, unknown> | null;
  @ApiProperty({ type: [String], example: ['valid_until', 'status'] })
  changed_fields: string[];
  @ApiProperty({ example: 'back-office-42', description: 'The subject (sub) of the token that made the change.' })
  actor: string;
  @ApiProperty({ enum: EntitlementOrigin, enumName: 'EntitlementApi', description: 'The API the change came through.' })
  api: EntitlementOrigin;
  @ApiProperty({ example: 'b7c8d9e0-1f2a-4b3c-8d4e-5f6a7b8c9d0e' })
  correlation_id: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' })
  time: string;
}

export class ListEntitlementHistoryResponse {
  @ApiProperty({ type: [EntitlementEventDto] })
  events: EntitlementEventDto[];
  @ApiProperty({ example: '' })
  next_page_token: string;
}
