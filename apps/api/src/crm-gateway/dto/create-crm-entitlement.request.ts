import { ProductType, ValidityType } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CRM_ID_MAX,
  CRM_ID_PATTERN,
  IsCrmBoolean,
  IsCrmDateTime,
  IsCrmEnum,
  IsCrmId,
  IsCrmText,
} from '../crm-validators';

/** Lengths of the store's columns (libs/database/src/schema/entitlement.schema.ts). */
export const CRM_TEXT_MAX = 256;
export const CAPABILITY_TYPE_MAX = 128;

const DATE_TIME = 'ISO 8601 date-time with a zone (Z or ±HH:MM); stored to the millisecond.';
/** Optional fields of the create body: null reads as absent. */
const OPTIONAL = { nullable: true } as const;

/**
 * POST /crm-gateway/v1/rmg/v1/entitlements. Unknown fields are refused; `capabilityType` is required
 * exactly when productType is CAPABILITY, and validFrom must be before expiryDate (checked after this DTO).
 */
export class CreateCrmEntitlementRequest {
  @ApiProperty({
    example: 'product1234',
    maxLength: CRM_TEXT_MAX,
    description: "The product the account is entitled to (the Motto-style API's offer_id).",
  })
  @IsCrmText(CRM_TEXT_MAX, { required: true })
  productId: string;

  @ApiProperty({
    example: 'account1234',
    maxLength: CRM_TEXT_MAX,
    description: "The account (the Motto-style API's user_id).",
  })
  @IsCrmText(CRM_TEXT_MAX, { required: true })
  accountId: string;

  @ApiProperty({
    enum: ValidityType,
    enumName: 'CrmValidityType',
    example: ValidityType.Absolute,
    description: 'ABSOLUTE: the rental starts at purchase. RELATIVE: at the first viewing (firstView).',
  })
  @IsCrmEnum(Object.values(ValidityType), { required: true })
  validityType: ValidityType;

  @ApiProperty({ enum: ProductType, enumName: 'CrmProductType', example: ProductType.Capability })
  @IsCrmEnum(Object.values(ProductType), { required: true })
  productType: ProductType;

  @ApiProperty({
    example: '2022-04-26T11:01:46.082Z',
    format: 'date-time',
    description: `Start of validity. ${DATE_TIME}`,
  })
  @IsCrmDateTime({ required: true })
  validFrom: string;

  @ApiProperty({
    example: '2023-04-26T11:01:46.082Z',
    format: 'date-time',
    description: `End of validity (exclusive), after validFrom. ${DATE_TIME}`,
  })
  @IsCrmDateTime({ required: true })
  expiryDate: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'NETFLIX',
    maxLength: CAPABILITY_TYPE_MAX,
    description: 'Required when productType is CAPABILITY, refused otherwise. Free text (NETFLIX, HD, UHD, PVR, ...).',
  })
  @IsCrmText(CAPABILITY_TYPE_MAX, OPTIONAL)
  capabilityType?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'stb-0001',
    maxLength: CRM_TEXT_MAX,
    description:
      'With device-specific products on (tenant setting), the entitlement applies to this device only; otherwise it is kept but applies to the whole account.',
  })
  @IsCrmText(CRM_TEXT_MAX, OPTIONAL)
  deviceId?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'abc1234',
    maxLength: CRM_ID_MAX,
    pattern: CRM_ID_PATTERN.source,
    description:
      'The id, when the caller chooses it (URL-safe). Absent: a UUID is generated. A second create with the same _id answers 409 (errorCode 4090) and changes nothing, so a create is safe to retry.',
  })
  @IsCrmId(OPTIONAL)
  _id?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'user42', maxLength: CRM_TEXT_MAX })
  @IsCrmText(CRM_TEXT_MAX, OPTIONAL)
  userId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'stb-0001', maxLength: CRM_TEXT_MAX })
  @IsCrmText(CRM_TEXT_MAX, OPTIONAL)
  purchasedByDeviceId?: string | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, example: false })
  @IsCrmBoolean(OPTIONAL)
  isArchivable?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, nullable: true, example: false })
  @IsCrmBoolean(OPTIONAL)
  isFreemium?: boolean | null;
}
