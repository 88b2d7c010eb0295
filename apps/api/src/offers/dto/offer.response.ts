import { ApiProperty } from '@nestjs/swagger';
import { OfferDto } from '../fields/offer.fields';

export class OfferResponse {
  @ApiProperty({ type: OfferDto })
  offer: OfferDto;
}

export class ListOffersResponse {
  @ApiProperty({ type: [OfferDto], description: 'By priority (highest first), then creation time, then id.' })
  offers: OfferDto[];

  @ApiProperty({ example: '', description: 'Pass as page_token for the next page; empty when there are no more.' })
  next_page_token: string;
}

/** `{}`: google.protobuf.Empty. */
export class DeleteOfferResponse {}
