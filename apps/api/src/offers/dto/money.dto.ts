import { OFFER_LIMITS } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Value objects of the offer wire: google.type.Money and a geo restriction, as requests and responses. */

const INT64 = {
  type: String,
  format: 'int64',
  description: 'int64 as a decimal string (a JSON integer up to 2^53 - 1 is also accepted).',
} as const;

/** google.type.Money. 9.99 EUR = `{"currency_code": "EUR", "units": "9", "nanos": 990000000}`. */
export class MoneyDto {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code, upper case.' })
  currency_code: string;

  @ApiProperty({
    type: String,
    format: 'int64',
    example: '9',
    description: 'Whole units of the amount (never negative for a price).',
  })
  units: string;

  @ApiProperty({
    type: Number,
    format: 'int32',
    example: 990000000,
    minimum: 0,
    maximum: 999999999,
    description: 'Billionths of a unit, with the sign of units.',
  })
  nanos: number;
}

export class GeoRestrictionDto {
  @ApiProperty({
    type: [String],
    example: ['FR', 'BE'],
    description: 'ISO 3166-1 alpha-2 country codes, upper case. Empty: no restriction.',
  })
  country_codes: string[];
}

export class MoneyInput {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code, upper case.' })
  currency_code: string;

  @ApiPropertyOptional({ ...INT64, example: '9', description: 'Whole units; default 0. Never negative for a price.' })
  units?: string;

  @ApiPropertyOptional({
    type: Number,
    format: 'int32',
    example: 990000000,
    minimum: -999999999,
    maximum: 999999999,
    description: 'Billionths of a unit, same sign as units; default 0.',
  })
  nanos?: number;
}

export class GeoRestrictionInput {
  @ApiPropertyOptional({
    type: [String],
    example: ['FR', 'BE'],
    maxItems: OFFER_LIMITS.countryCodesMax,
    description: 'ISO 3166-1 alpha-2 country codes, upper case.',
  })
  country_codes?: string[];
}
