import { OFFER_UPDATABLE_PATHS } from '../offer-mask';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { CreateOfferRequest } from '../fields/offer.fields';

/** The offer of an update: any field of the create body; only the paths of update_mask are applied. */
export class OfferPatch extends PartialType(CreateOfferRequest) {}

/** Body of PATCH /monetization/offers/v1/{offer_id}; read by offer-wire.ts (readUpdateOffer). */
export class UpdateOfferRequest {
  @ApiPropertyOptional({
    example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11',
    description: 'When given, must equal the offer id in the path.',
  })
  offer_id?: string;

  @ApiProperty({
    type: OfferPatch,
    description:
      "`project_id` names the offer's project (or pass the `project_id` query parameter); it cannot be changed. " +
      'A field named in update_mask but absent here is reset to its default.',
  })
  offer: OfferPatch;

  @ApiPropertyOptional({
    example: 'name,offer_prices,target.entity_ids',
    description:
      `Comma-separated field paths to change: ${OFFER_UPDATABLE_PATHS.join(', ')}, or \`*\` for all of them. ` +
      'Empty or absent: the top-level fields present in `offer`.',
  })
  update_mask?: string;
}
