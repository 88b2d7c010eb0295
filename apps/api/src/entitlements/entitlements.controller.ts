import { ChangeContext } from '@app/database';
import { EntitlementOrigin } from '@app/domain';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { decodePageToken, encodePageToken, pageSize, requiredQuery } from '../motto/wire/page-token';
import { ChangeCtx } from '../common/request-context';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { EntitlementResponse, ListEntitlementHistoryResponse, ListEntitlementsResponse } from './dto/entitlement.dto';
import { UpsertEntitlementRequest } from './fields/entitlement.fields';
import { readUpsertEntitlement, toEntitlementDto, toEntitlementEventDto } from './entitlement-wire';
import { EntitlementsService } from './entitlements.service';

@ApiTags('Entitlements')
@MottoApi()
@MottoErrors(400, 401, 403, 404, 500)
@Controller('monetization/entitlements/v1')
export class EntitlementsController {
  constructor(private readonly entitlements: EntitlementsService) {}

  @Post()
  @HttpCode(200)
  @PlatformAuth('editor')
  @ApiOperation({
    summary: 'Create or update an entitlement',
    description:
      'Upsert keyed by (project_id, user_id, offer_id) among the entitlements created through this API. The body is the whole ' +
      'resource: a field left out returns to its default. An expiration_time in the past revokes the entitlement. ' +
      'Retrying gives the same single entitlement.',
  })
  @ApiBody({ type: UpsertEntitlementRequest })
  @ApiOkResponse({ type: EntitlementResponse, description: 'The entitlement as stored.' })
  async upsertEntitlement(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @ChangeCtx(EntitlementOrigin.Motto) ctx: ChangeContext,
  ): Promise<EntitlementResponse> {
    const input = readUpsertEntitlement(body);
    principal.requireProject(input.key.projectId, 'editor');
    return { entitlement: toEntitlementDto(await this.entitlements.upsert(input, ctx)) };
  }

  @Get()
  @PlatformAuth('viewer')
  @ApiOperation({
    summary: 'List entitlements',
    description:
      'Every entitlement of the project, whichever API created it (CRM account = user, product = offer), by creation time. ' +
      'filter (KQL subset) accepts user_id, offer_id, source_type, source_id (equality, `field:(a OR b)`) and expiration_time ' +
      '(ranges: `expiration_time>=2026-01-01T00:00:00Z`).',
  })
  @ApiQuery({ name: 'project_id', required: true, type: String })
  @ApiQuery({
    name: 'filter',
    required: false,
    type: String,
    example: 'user_id:user-8d2f AND expiration_time>2026-01-01T00:00:00Z',
  })
  @ApiQuery({ name: 'page_size', required: false, type: String, description: 'Default 50, at most 1000.' })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiOkResponse({ type: ListEntitlementsResponse })
  async listEntitlements(
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
    @Query('filter') filter?: string,
    @Query('page_size') rawPageSize?: string,
    @Query('page_token') pageToken?: string,
  ): Promise<ListEntitlementsResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'viewer');
    const limit = pageSize(rawPageSize);
    const after = decodePageToken(
      'entitlements',
      pageToken,
      2,
      (k): k is [string, string] =>
        typeof k[0] === 'string' && !Number.isNaN(Date.parse(k[0])) && typeof k[1] === 'string',
    );
    const page = await this.entitlements.list(project, filter, limit, after);
    return {
      entitlements: page.entitlements.map(toEntitlementDto),
      next_page_token: page.next ? encodePageToken('entitlements', page.next) : '',
    };
  }

  @Get('history')
  @PlatformAuth('viewer')
  @ApiOperation({
    summary: 'List the change history of entitlements',
    description:
      "Every change to the project's entitlements, from either API, newest first: before and after, who, through which API, and the request's correlation id.",
  })
  @ApiQuery({ name: 'project_id', required: true, type: String })
  @ApiQuery({ name: 'user_id', required: false, type: String })
  @ApiQuery({ name: 'offer_id', required: false, type: String })
  @ApiQuery({ name: 'page_size', required: false, type: String })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiOkResponse({ type: ListEntitlementHistoryResponse })
  async listEntitlementHistory(
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
    @Query('user_id') userId?: string,
    @Query('offer_id') offerId?: string,
    @Query('page_size') rawPageSize?: string,
    @Query('page_token') pageToken?: string,
  ): Promise<ListEntitlementHistoryResponse> {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'viewer');
    const limit = pageSize(rawPageSize);
    const before = decodePageToken(
      'entitlement-history',
      pageToken,
      1,
      (k): k is [string] => typeof k[0] === 'string' && /^\d{1,19}$/.test(k[0]),
    )?.[0];
    const page = await this.entitlements.history({
      projectId: project,
      userId: userId || undefined,
      offerId: offerId || undefined,
      beforeId: before,
      limit,
    });
    return {
      events: page.events.map(toEntitlementEventDto),
      next_page_token: page.next ? encodePageToken('entitlement-history', [page.next]) : '',
    };
  }
}
