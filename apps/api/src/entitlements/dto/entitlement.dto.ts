import { EntitlementEventKind, EntitlementOrigin } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';
import { EntitlementDto } from '../fields/entitlement.fields';

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
  @ApiProperty({
    example: '7a1d3c9e-0b7f-4f55-8f1a-2a4f5c6d7e8f',
    description: "The entitlement's id in the shared store (the CRM gateway's _id).",
  })
  entitlement_id: string;
  @ApiProperty({ example: 'user-8d2f' })
  user_id: string;
  @ApiProperty({ example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11' })
  offer_id: string;
  @ApiProperty({ enum: EntitlementEventKind, enumName: 'EntitlementEventKind' })
  kind: EntitlementEventKind;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'The entitlement before the change (null when created).',
    example: null,
  })
  before: Record<string, unknown> | null;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'The entitlement after the change (null when deleted).',
    example: { subject_id: 'user-8d2f', product_id: 'offer-1', status: 'ACTIVE' },
  })
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
