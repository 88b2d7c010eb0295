import { ChangeContext } from '@app/database';
import { EntitlementOrigin } from '@app/domain';
import { ChangeCtx } from '../common/request-context';
import { valueOrThrow } from '../motto/wire/wire';
import { validateOfferInput } from './offer-reader';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { MottoErrorDto } from '../motto/motto-error';
import { pageSize, requiredQuery } from '../motto/wire/page-token';
import { CreateOfferRequest } from './fields/offer.fields';
import { DeleteOfferResponse, ListOffersResponse, OfferResponse } from './dto/offer.response';
import { UpdateOfferRequest } from './dto/update-offer.request';
import { decodeOfferCursor, encodeOfferCursor, readUpdateOffer, toOfferDto } from './offer-wire';
import { OffersService } from './offers.service';

const INVALID = {
  status: 400,
  type: MottoErrorDto,
  description: 'invalid_argument: `details` names every offending field by its path.',
};
const NOT_FOUND = { status: 404, type: MottoErrorDto, description: 'not_found: no such offer in the project.' };
const PROJECT_QUERY = {
  name: 'project_id',
  required: true,
  type: String,
  example: 'rtt-show',
  description: "The offer's project.",
};
const OFFER_ID_PARAM = { name: 'offer_id', type: String, example: '0f5c2a1e-6a8b-4a71-9a53-0c1b8a0e2d11' };

@ApiTags('Offers')
@MottoApi()
@MottoErrors(401, 403, 500)
@Controller('monetization/offers/v1')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Post()
  @HttpCode(200)
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Create an offer',
    description:
      'Stores a new offer in the project and returns it with `id`, `create_time` and `update_time`. Needs the editor role on the ' +
      'project. Every field is checked: each problem is reported in `details` with its path, and nothing is stored. Unknown fields ' +
      'are refused. Prices sent without an `id` get a UUID.',
  })
  @ApiBody({ type: CreateOfferRequest })
  @ApiOkResponse({ type: OfferResponse, description: 'The offer.' })
  @ApiResponse({ ...INVALID, description: `${INVALID.description} Also when project_id names no existing project.` })
  async createOffer(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @ChangeCtx(EntitlementOrigin.Motto) ctx: ChangeContext,
  ): Promise<OfferResponse> {
    const fields = valueOrThrow(validateOfferInput(body));
    principal.requireProject(fields.projectId, 'editor');
    return { offer: toOfferDto(await this.offers.create(fields, ctx)) };
  }

  @Get(':offer_id')
  @PlatformAuth('viewer')
  @ApiOperation({
    summary: 'Get an offer',
    description: 'The offer, when it belongs to `project_id`. Needs the viewer role on the project.',
  })
  @ApiParam(OFFER_ID_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiOkResponse({ type: OfferResponse, description: 'The offer.' })
  @ApiResponse({ ...INVALID, description: 'invalid_argument: project_id missing.' })
  @ApiResponse(NOT_FOUND)
  async getOffer(
    @Param('offer_id') offerId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
  ): Promise<OfferResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'viewer');
    return { offer: toOfferDto(await this.offers.get(project, offerId)) };
  }

  @Get()
  @PlatformAuth('viewer')
  @ApiOperation({
    summary: 'List offers',
    description:
      "The project's offers by priority (highest first), then creation time (oldest first), then id. Keyset pagination: " +
      '`next_page_token` is opaque, empty on the last page, and valid only with the same project_id and filter. ' +
      '`filter` (KQL subset) accepts `visibility`, `name`, `cleeng_offer_id`, `applies_to_all` (equality, or a set: ' +
      '`visibility:(VISIBILITY_PUBLISHED OR VISIBILITY_UNLISTED)`) and `create_time` (ranges: `create_time>=2026-01-01T00:00:00Z ' +
      'create_time<2026-02-01T00:00:00Z`); clauses are joined by a space or AND. Any other field, or a malformed filter, answers ' +
      'invalid_argument naming the problem.',
  })
  @ApiQuery(PROJECT_QUERY)
  @ApiQuery({
    name: 'filter',
    required: false,
    type: String,
    example: 'visibility:VISIBILITY_PUBLISHED AND create_time>=2026-01-01T00:00:00Z',
  })
  @ApiQuery({
    name: 'page_size',
    required: false,
    type: String,
    example: '50',
    description: 'Default 50 (also for 0), at most 1000.',
  })
  @ApiQuery({ name: 'page_token', required: false, type: String, description: 'next_page_token of the previous page.' })
  @ApiOkResponse({ type: ListOffersResponse, description: 'One page of offers.' })
  @ApiResponse({
    ...INVALID,
    description: 'invalid_argument: project_id missing, bad filter, page_size or page_token.',
  })
  @ApiResponse({ ...NOT_FOUND, description: 'not_found: the project does not exist.' })
  async listOffers(
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
    @Query('filter') filter?: string,
    @Query('page_size') rawPageSize?: string,
    @Query('page_token') pageToken?: string,
  ): Promise<ListOffersResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'viewer');
    const page = await this.offers.list({
      projectId: project,
      filter,
      limit: pageSize(rawPageSize),
      after: decodeOfferCursor(pageToken),
    });
    return {
      offers: page.offers.map(toOfferDto),
      next_page_token: page.more ? encodeOfferCursor(page.offers[page.offers.length - 1]) : '',
    };
  }

  @Patch(':offer_id')
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Update an offer',
    description:
      'Only the paths of `update_mask` change (FieldMask semantics: a path in the mask but absent from `offer` is reset to its ' +
      'default); `*` names every updatable path; an empty mask updates the top-level fields present in `offer`. Nested target ' +
      'paths (`target.entity_ids`, ...) change one part of the target. An unknown path answers invalid_argument. `project_id` ' +
      '(in `offer`, or as a query parameter) names the project and cannot change. Needs the editor role on the project.',
  })
  @ApiParam(OFFER_ID_PARAM)
  @ApiQuery({
    ...PROJECT_QUERY,
    required: false,
    description: "The offer's project, when `offer.project_id` is not sent.",
  })
  @ApiBody({ type: UpdateOfferRequest })
  @ApiOkResponse({ type: OfferResponse, description: 'The offer.' })
  @ApiResponse(INVALID)
  @ApiResponse(NOT_FOUND)
  async updateOffer(
    @Param('offer_id') offerId: string,
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @ChangeCtx(EntitlementOrigin.Motto) ctx: ChangeContext,
    @Query('project_id') projectId?: string,
  ): Promise<OfferResponse> {
    const input = readUpdateOffer(body, offerId, projectId);
    principal.requireProject(input.projectId, 'editor');
    return { offer: toOfferDto(await this.offers.update(input.projectId, offerId, input.patch, input.mask, ctx)) };
  }

  @Delete(':offer_id')
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Delete an offer',
    description:
      'Deletes the offer. Refused with failed_precondition, saying how many, while live entitlements (active, not expired) point ' +
      'at it: revoke them or let them expire first. Needs the editor role on the project.',
  })
  @ApiParam(OFFER_ID_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiOkResponse({ type: DeleteOfferResponse, description: '`{}`: deleted.' })
  @ApiResponse({
    ...INVALID,
    description: 'invalid_argument: project_id missing. failed_precondition: live entitlements point at the offer.',
  })
  @ApiResponse(NOT_FOUND)
  async deleteOffer(
    @Param('offer_id') offerId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @ChangeCtx(EntitlementOrigin.Motto) ctx: ChangeContext,
    @Query('project_id') projectId?: string,
  ): Promise<DeleteOfferResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'editor');
    await this.offers.delete(project, offerId, ctx);
    return {};
  }
}
