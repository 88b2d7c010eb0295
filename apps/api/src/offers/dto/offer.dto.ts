import { AccessPeriod, BillingPeriod, Visibility } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';

/**
 * The offer as the Motto-style API returns it (protobuf-JSON): every field emitted, defaults included;
 * int64 as decimal strings; timestamps RFC 3339 UTC. Built by offer-wire.ts, never from an entity directly.
 */

const LOCALIZED = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Keyed by an ISO 639-1 language code, optionally with an ISO 3166-1 alpha-2 region (`en`, `en-US`). Empty object when none.',
} as const;

/** google.type.Money. 9.99 EUR = `{"currency_code": "EUR", "units": "9", "nanos": 990000000}`. */
export class MoneyDto {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code, upper case.' })
  currency_code: string;

  @ApiProperty({ type: String, format: 'int64', example: '9', description: 'Whole units of the amount (never negative for a price).' })
  units: string;

  @ApiProperty({ type: Number, format: 'int32', example: 990000000, minimum: 0, maximum: 999999999, description: 'Billionths of a unit, with the sign of units.' })
  nanos: number;
}

export class GeoRestrictionDto {
  @ApiProperty({ type: [String], example: ['FR', 'BE'], description: 'ISO 3166-1 alpha-2 country codes, upper case. Empty: no restriction.' })
  country_codes: string[];
}

export class OfferTargetDto {
  @ApiProperty({ type: [String], example: ['team-rtt-fc'], description: 'Entities (teams, competitions, channels...) whose content the offer covers.' })
  entity_ids: string[];

  @ApiProperty({ type: [String], example: ['event-2024-08-17-final'] })
  event_ids: string[];

  @ApiProperty({ type: [String], example: ['cw-highlights-2024'] })
  creative_work_ids: string[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2024-08-01T00:00:00Z', description: 'Content published from this moment on; null: no lower bound.' })
  content_start_time: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2025-06-30T23:59:59Z', description: 'Content published before this moment; null: no upper bound.' })
  content_end_time: string | null;
}

export class OfferPriceDto {
  @ApiProperty({ example: 'monthly-eur', description: 'Unique within the offer. Assigned by the server (a UUID) when sent empty or absent.' })
  id: string;

  @ApiProperty({ type: MoneyDto, nullable: true, description: 'Recommended retail price shown struck through; null when not set.' })
  msrp_price: MoneyDto | null;

  @ApiProperty({ type: MoneyDto, nullable: true, description: 'The price charged; null when not set.' })
  price: MoneyDto | null;

  @ApiProperty({ enum: BillingPeriod, enumName: 'BillingPeriod', example: BillingPeriod.Monthly })
  billing_period: BillingPeriod;

  @ApiProperty({ enum: AccessPeriod, enumName: 'AccessPeriod', example: AccessPeriod.Month, description: 'How long one purchase grants access.' })
  access_period: AccessPeriod;

  @ApiProperty({ type: GeoRestrictionDto, description: 'Offered everywhere but in these countries. Never set together with geo_restrictions_allow.' })
  geo_restrictions_disallow: GeoRestrictionDto;

  @ApiProperty({ type: GeoRestrictionDto, description: 'Offered only in these countries (when not empty).' })
  geo_restrictions_allow: GeoRestrictionDto;

  @ApiProperty({ type: String, format: 'int64', example: '2', description: 'Higher is shown first.' })
  priority: string;

  @ApiProperty({ example: 'prod_PqR5tUvWxYz123' })
  stripe_product_id: string;

  @ApiProperty({ example: 'com.rttshow.season.monthly' })
  app_store_product_id: string;

  @ApiProperty({ example: 'season_monthly' })
  play_store_sku: string;
}

export class OfferDto {
  @ApiProperty({ example: 'rtt-show' })
  project_id: string;

  @ApiProperty({ example: 'Season pass 2024/25', description: 'Internal name, not shown to end users.' })
  name: string;

  @ApiProperty({ ...LOCALIZED, example: { en: 'Season pass', 'fr-BE': 'Pass saison' } })
  localized_title: Record<string, string>;

  @ApiProperty({ ...LOCALIZED, example: { en: 'Every match of the 2024/25 season, live and on demand.' } })
  localized_description: Record<string, string>;

  @ApiProperty({ example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11', description: 'Output only: a UUID assigned on creation.' })
  id: string;

  @ApiProperty({ example: 'S531234647_FR' })
  cleeng_offer_id: string;

  @ApiProperty({ example: false, description: 'The offer covers all content of the project; its target is then empty.' })
  applies_to_all: boolean;

  @ApiProperty({ type: OfferTargetDto, description: 'The content covered when applies_to_all is false: these ids, published inside the window.' })
  target: OfferTargetDto;

  @ApiProperty({ ...LOCALIZED, example: { en: 'asset-logo-season-en' } })
  localized_logo_asset_id: Record<string, string>;

  @ApiProperty({ ...LOCALIZED, example: { en: 'asset-hero-season-en' } })
  localized_image_asset_id: Record<string, string>;

  @ApiProperty({ type: [OfferPriceDto] })
  offer_prices: OfferPriceDto[];

  @ApiProperty({ type: String, format: 'int64', example: '10', description: 'Higher is shown first (lists are ordered by it).' })
  priority: string;

  @ApiProperty({ type: String, format: 'int64', nullable: true, example: '2', description: 'Devices that may stream at once from one account; null: unlimited.' })
  concurrency_limit: string | null;

  @ApiProperty({ enum: Visibility, enumName: 'Visibility', example: Visibility.Published })
  visibility: Visibility;

  @ApiProperty({ example: 'ruleset-season-2024', description: 'Kept in sync by the client; the service does not act on it.' })
  video_protection_ruleset_id: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' })
  create_time: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-23T12:00:00Z' })
  update_time: string;
}
