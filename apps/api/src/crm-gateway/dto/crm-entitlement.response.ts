import { ProductType, ValidityType } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The CRM gateway's entitlement status (the store's ACTIVE and REVOKED). */
export enum CrmEntitlementStatus {
  Subscribed = 'SUBSCRIBED',
  Unsubscribed = 'UNSUBSCRIBED',
}

const DATE = { format: 'date-time', type: String } as const;
const ABSENT = 'Omitted when absent.';

/**
 * One entitlement as the CRM gateway shows it, whichever API created it. Dates are ISO 8601 in UTC with
 * milliseconds. Absent values are omitted (never null), as in the platform's documents; with `fields`
 * only the named fields (and `_id`) are present.
 */
export class CrmEntitlementDto {
  @ApiProperty({
    example: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
    description: 'The entitlement id: chosen by the caller at creation, or a generated UUID.',
  })
  _id: string;

  @ApiPropertyOptional({ example: 'product1234', description: 'The product (in the Motto-style API: the offer).' })
  productId?: string;

  @ApiPropertyOptional({ example: 'account1234', description: 'The account (in the Motto-style API: the user).' })
  accountId?: string;

  @ApiPropertyOptional({ example: 'user42', description: ABSENT })
  userId?: string;

  @ApiPropertyOptional({ example: 'stb-0001', description: `The device the entitlement was added for. ${ABSENT}` })
  deviceId?: string;

  @ApiPropertyOptional({ example: 'stb-0001', description: ABSENT })
  purchasedByDeviceId?: string;

  @ApiPropertyOptional({
    enum: ValidityType,
    enumName: 'CrmValidityType',
    example: ValidityType.Absolute,
    description: `Omitted for entitlements created through the Motto-style API (they behave as ABSOLUTE).`,
  })
  validityType?: ValidityType;

  @ApiPropertyOptional({
    enum: ProductType,
    enumName: 'CrmProductType',
    example: ProductType.Capability,
    description: `Omitted for entitlements created through the Motto-style API.`,
  })
  productType?: ProductType;

  @ApiPropertyOptional({ example: 'NETFLIX', description: 'Set exactly when productType is CAPABILITY.' })
  capabilityType?: string;

  @ApiPropertyOptional({
    ...DATE,
    example: '2022-04-26T11:01:46.082Z',
    description: 'Start of validity; for an entitlement stored without one (Motto-style API), its creation time.',
  })
  validFrom?: string;

  @ApiPropertyOptional({
    ...DATE,
    example: '2023-04-26T11:01:46.082Z',
    description: 'End of validity (exclusive). Omitted when the entitlement never expires (Motto-style API).',
  })
  expiryDate?: string;

  @ApiPropertyOptional({
    enum: CrmEntitlementStatus,
    enumName: 'CrmEntitlementStatus',
    example: CrmEntitlementStatus.Subscribed,
  })
  status?: CrmEntitlementStatus;

  @ApiPropertyOptional({ example: false, description: ABSENT })
  isArchivable?: boolean;

  @ApiPropertyOptional({ example: false, description: ABSENT })
  isFreemium?: boolean;

  @ApiPropertyOptional({
    ...DATE,
    example: '2022-05-01T20:15:00.000Z',
    description:
      'RELATIVE validity: when the content was first played (the rental runs from here). Omitted until then.',
  })
  firstView?: string;

  @ApiPropertyOptional({
    ...DATE,
    example: '2022-04-26T11:01:47.120Z',
    description: 'When the entitlement was created.',
  })
  created?: string;

  @ApiPropertyOptional({
    ...DATE,
    example: '2022-04-26T11:01:47.120Z',
    description: 'When the entitlement last changed.',
  })
  modified?: string;
}

export class CreateCrmEntitlementResponse {
  @ApiProperty({ example: 'abc1234', description: 'The id of the new entitlement.' })
  _id: string;
}

export class ListCrmEntitlementsResponse {
  @ApiProperty({ example: 1, description: 'How many entitlements match the filter (all pages).' })
  totalRecords: number;

  @ApiPropertyOptional({
    type: [CrmEntitlementDto],
    description: 'The requested page. Omitted when limit=0 (count only).',
  })
  resourceSet?: Partial<CrmEntitlementDto>[];
}

export class UpdateCrmEntitlementResponse {
  @ApiProperty({ example: 1, description: 'Always 1 (an absent entitlement answers 404).' })
  matchedCount: number;

  @ApiProperty({ example: 1, enum: [0, 1], description: '1 when a value changed, 0 when the request changed nothing.' })
  modifiedCount: number;
}

export class DeleteCrmEntitlementResponse {
  @ApiProperty({ example: 1, description: 'Always 1 (an absent entitlement answers 404).' })
  deletedCount: number;
}
