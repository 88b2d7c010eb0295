import { AccessPeriod, BillingPeriod, OFFER_LIMITS, Visibility } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Body of POST /monetization/offers/v1 (protobuf-JSON), for the OpenAPI document. The controller reads the
 * body with the domain's wire reader (validateOfferInput), which reports every offending field by its path.
 * Absent and null fields take their protobuf defaults; unknown fields are refused; `id`, `create_time` and
 * `update_time` are output only (accepted and ignored, so a fetched offer can be sent back).
 */

const LOCALIZED = (max: number) =>
  ({
    type: 'object',
    additionalProperties: { type: 'string', minLength: 1, maxLength: max },
    maxProperties: OFFER_LIMITS.localizedEntriesMax,
    description: `Keys: ISO 639-1 language code, optionally \`-\` and an ISO 3166-1 alpha-2 region (\`en\`, \`en-US\`). Values: 1 to ${max} characters.`,
  }) as const;

const INT64 = { type: String, format: 'int64', description: 'int64 as a decimal string (a JSON integer up to 2^53 - 1 is also accepted).' } as const;

export class MoneyInput {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code, upper case.' })
  currency_code: string;

  @ApiPropertyOptional({ ...INT64, example: '9', description: 'Whole units; default 0. Never negative for a price.' })
  units?: string;

  @ApiPropertyOptional({ type: Number, format: 'int32', example: 990000000, minimum: -999999999, maximum: 999999999, description: 'Billionths of a unit, same sign as units; default 0.' })
  nanos?: number;
}

export class GeoRestrictionInput {
  @ApiPropertyOptional({ type: [String], example: ['FR', 'BE'], maxItems: OFFER_LIMITS.countryCodesMax, description: 'ISO 3166-1 alpha-2 country codes, upper case.' })
  country_codes?: string[];
}

export class OfferTargetInput {
  @ApiPropertyOptional({ type: [String], example: ['team-rtt-fc'], maxItems: OFFER_LIMITS.targetIdsMax, description: `Non-empty ids of at most ${OFFER_LIMITS.idMax} characters.` })
  entity_ids?: string[];

  @ApiPropertyOptional({ type: [String], example: ['event-2024-08-17-final'], maxItems: OFFER_LIMITS.targetIdsMax })
  event_ids?: string[];

  @ApiPropertyOptional({ type: [String], example: ['cw-highlights-2024'], maxItems: OFFER_LIMITS.targetIdsMax })
  creative_work_ids?: string[];

  @ApiPropertyOptional({ format: 'date-time', example: '2024-08-01T00:00:00Z', description: 'Must be before content_end_time.' })
  content_start_time?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2025-06-30T23:59:59Z' })
  content_end_time?: string;
}

export class OfferPriceInput {
  @ApiPropertyOptional({ example: 'monthly-eur', maxLength: OFFER_LIMITS.idMax, description: 'Unique within the offer. Empty or absent: the server assigns a UUID.' })
  id?: string;

  @ApiPropertyOptional({ type: MoneyInput })
  msrp_price?: MoneyInput;

  @ApiPropertyOptional({ type: MoneyInput })
  price?: MoneyInput;

  @ApiPropertyOptional({ enum: BillingPeriod, enumName: 'BillingPeriod', example: BillingPeriod.Monthly })
  billing_period?: BillingPeriod;

  @ApiPropertyOptional({ enum: AccessPeriod, enumName: 'AccessPeriod', example: AccessPeriod.Month })
  access_period?: AccessPeriod;

  @ApiPropertyOptional({ type: GeoRestrictionInput, example: { country_codes: [] }, description: 'Offered everywhere but in these countries. Not together with a non-empty geo_restrictions_allow.' })
  geo_restrictions_disallow?: GeoRestrictionInput;

  @ApiPropertyOptional({ type: GeoRestrictionInput, description: 'Offered only in these countries.' })
  geo_restrictions_allow?: GeoRestrictionInput;

  @ApiPropertyOptional({ ...INT64, example: '2' })
  priority?: string;

  @ApiPropertyOptional({ example: 'prod_PqR5tUvWxYz123', maxLength: OFFER_LIMITS.idMax })
  stripe_product_id?: string;

  @ApiPropertyOptional({ example: 'com.rttshow.season.monthly', maxLength: OFFER_LIMITS.idMax })
  app_store_product_id?: string;

  @ApiPropertyOptional({ example: 'season_monthly', maxLength: OFFER_LIMITS.idMax })
  play_store_sku?: string;
}

export class CreateOfferRequest {
  @ApiProperty({ example: 'rtt-show', description: 'An existing project the token grants.' })
  project_id: string;

  @ApiProperty({ example: 'Season pass 2024/25', minLength: 1, maxLength: OFFER_LIMITS.nameMax, description: 'Internal name, not shown to end users.' })
  name: string;

  @ApiPropertyOptional({ ...LOCALIZED(OFFER_LIMITS.localizedTextMax), example: { en: 'Season pass', 'fr-BE': 'Pass saison' } })
  localized_title?: Record<string, string>;

  @ApiPropertyOptional({ ...LOCALIZED(OFFER_LIMITS.localizedTextMax), example: { en: 'Every match of the 2024/25 season, live and on demand.' } })
  localized_description?: Record<string, string>;

  @ApiPropertyOptional({ example: 'S531234647_FR', maxLength: OFFER_LIMITS.idMax })
  cleeng_offer_id?: string;

  @ApiPropertyOptional({ example: false, description: 'All content of the project. Exclusive with a non-empty target.' })
  applies_to_all?: boolean;

  @ApiPropertyOptional({ type: OfferTargetInput })
  target?: OfferTargetInput;

  @ApiPropertyOptional({ ...LOCALIZED(OFFER_LIMITS.idMax), example: { en: 'asset-logo-season-en' } })
  localized_logo_asset_id?: Record<string, string>;

  @ApiPropertyOptional({ ...LOCALIZED(OFFER_LIMITS.idMax), example: { en: 'asset-hero-season-en' } })
  localized_image_asset_id?: Record<string, string>;

  @ApiPropertyOptional({ type: [OfferPriceInput], maxItems: OFFER_LIMITS.pricesMax })
  offer_prices?: OfferPriceInput[];

  @ApiPropertyOptional({ ...INT64, example: '10', description: 'Higher is shown first; default 0.' })
  priority?: string;

  @ApiPropertyOptional({ ...INT64, example: '2', description: 'At least 1; absent: unlimited.' })
  concurrency_limit?: string;

  @ApiPropertyOptional({ enum: Visibility, enumName: 'Visibility', example: Visibility.Published })
  visibility?: Visibility;

  @ApiPropertyOptional({ example: 'ruleset-season-2024', maxLength: OFFER_LIMITS.idMax })
  video_protection_ruleset_id?: string;
}
