import { ProductType, ValidityType } from '@app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsAbsent, IsCrmBoolean, IsCrmDateTime, IsCrmEnum, IsCrmText } from '../crm-validators';
import { CrmEntitlementStatus } from './crm-entitlement.response';
import { CAPABILITY_TYPE_MAX, CRM_TEXT_MAX } from './create-crm-entitlement.request';

const IMMUTABLE = 'cannot be changed (it identifies the entitlement); delete and create instead';
const READ_ONLY = 'is read-only (set by the service)';
const CLEARABLE = 'null clears it.';

/**
 * PUT /crm-gateway/v1/rmg/v1/entitlements/{id}: a partial update; only the fields given change.
 * The rules are checked again on the merged state (validFrom before expiryDate; capabilityType exactly
 * when productType is CAPABILITY; firstView only for RELATIVE validity).
 */
export class UpdateCrmEntitlementRequest {
  @ApiPropertyOptional({
    enum: CrmEntitlementStatus,
    enumName: 'CrmEntitlementStatus',
    example: CrmEntitlementStatus.Unsubscribed,
    description: 'UNSUBSCRIBED revokes the entitlement; SUBSCRIBED restores it.',
  })
  @IsCrmEnum(Object.values(CrmEntitlementStatus))
  status?: CrmEntitlementStatus;

  @ApiPropertyOptional({ example: '2024-04-26T11:01:46.082Z', format: 'date-time' })
  @IsCrmDateTime()
  expiryDate?: string;

  @ApiPropertyOptional({ example: '2022-04-26T11:01:46.082Z', format: 'date-time' })
  @IsCrmDateTime()
  validFrom?: string;

  @ApiPropertyOptional({ enum: ValidityType, enumName: 'CrmValidityType' })
  @IsCrmEnum(Object.values(ValidityType))
  validityType?: ValidityType;

  @ApiPropertyOptional({ enum: ProductType, enumName: 'CrmProductType' })
  @IsCrmEnum(Object.values(ProductType))
  productType?: ProductType;

  @ApiPropertyOptional({
    type: String,
    example: 'UHD',
    maxLength: CAPABILITY_TYPE_MAX,
    nullable: true,
    description: `Only when productType is CAPABILITY; ${CLEARABLE}`,
  })
  @IsCrmText(CAPABILITY_TYPE_MAX, { nullable: true })
  capabilityType?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'stb-0002',
    maxLength: CRM_TEXT_MAX,
    nullable: true,
    description: CLEARABLE,
  })
  @IsCrmText(CRM_TEXT_MAX, { nullable: true })
  deviceId?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'user42',
    maxLength: CRM_TEXT_MAX,
    nullable: true,
    description: CLEARABLE,
  })
  @IsCrmText(CRM_TEXT_MAX, { nullable: true })
  userId?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'stb-0001',
    maxLength: CRM_TEXT_MAX,
    nullable: true,
    description: CLEARABLE,
  })
  @IsCrmText(CRM_TEXT_MAX, { nullable: true })
  purchasedByDeviceId?: string | null;

  @ApiPropertyOptional({ type: Boolean, example: true, nullable: true, description: CLEARABLE })
  @IsCrmBoolean({ nullable: true })
  isArchivable?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, example: false, nullable: true, description: CLEARABLE })
  @IsCrmBoolean({ nullable: true })
  isFreemium?: boolean | null;

  @ApiPropertyOptional({
    type: String,
    example: '2022-05-01T20:15:00.000Z',
    format: 'date-time',
    nullable: true,
    description: `RELATIVE validity only: when the content was first played; the rental runs from here. ${CLEARABLE}`,
  })
  @IsCrmDateTime({ nullable: true })
  firstView?: string | null;

  // Present so that sending them is refused with a reason rather than as an unknown field.
  @IsAbsent(IMMUTABLE)
  _id?: never;
  @IsAbsent(IMMUTABLE)
  accountId?: never;
  @IsAbsent(IMMUTABLE)
  productId?: never;
  @IsAbsent(READ_ONLY)
  created?: never;
  @IsAbsent(READ_ONLY)
  modified?: never;
}
