import { ChangeContext } from '@app/database';
import { EntitlementOrigin, Project } from '@app/domain';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OperatorAuth } from '../auth/auth.decorators';
import { ChangeCtx } from '../common/request-context';
import { CORRELATION_ID_HEADER } from '../logging/correlation-id';
import { CrmApi } from './crm-api.decorator';
import { CrmErrorDto } from './crm-error';
import { CrmEntitlementsService } from './crm-entitlements.service';
import { crmUpdate, newCrmEntitlement, projectFields, toCrmEntitlementDto } from './crm-entitlement.mapper';
import { DEFAULT_LIMIT, MAX_LIMIT, parseCrmListQuery, readCreateQuery, refuseQuery } from './crm-list-query';
import { CrmBodyPipe, CrmIdPipe } from './crm-pipes';
import { CreateCrmEntitlementRequest } from './dto/create-crm-entitlement.request';
import {
  CreateCrmEntitlementResponse,
  CrmEntitlementDto,
  DeleteCrmEntitlementResponse,
  ListCrmEntitlementsResponse,
  UpdateCrmEntitlementResponse,
} from './dto/crm-entitlement.response';
import { UpdateCrmEntitlementRequest } from './dto/update-crm-entitlement.request';
import { Tenant } from './tenant.decorator';
import { TENANT_HEADER } from './tenant.guard';

type QueryParams = Record<string, unknown>;

const errors = {
  badRequest: {
    status: 400,
    type: CrmErrorDto,
    description:
      'Invalid input (errorCode 4000, list query 4001; missing nv-tenant-id without a default tenant 4002). Nothing changed.',
  },
  forbidden: {
    status: 403,
    type: CrmErrorDto,
    description:
      'Missing, invalid or expired token (4030); token without operatorRole/adminRole, or not for this tenant (4031).',
  },
  tenantNotFound: { status: 404, type: CrmErrorDto, description: 'Unknown tenant (4040).' },
  notFound: {
    status: 404,
    type: CrmErrorDto,
    description: 'Unknown tenant (4040), or no entitlement with this _id in the tenant (4041).',
  },
  conflict: {
    status: 409,
    type: CrmErrorDto,
    description: '_id already taken (4090); duplicate purchase refused (4091). Nothing changed.',
  },
  tooLarge: { status: 413, type: CrmErrorDto, description: 'Body over 1 MiB (4130).' },
  unsupported: { status: 415, type: CrmErrorDto, description: 'Body not sent as application/json (4150).' },
  internal: {
    status: 500,
    type: CrmErrorDto,
    description: 'Internal error (5000): retry with backoff, report the x-correlation-id.',
  },
} as const;

const ERRORS_SEE = 'Errors: `{"code", "errorCode", "message"}`, errorCodes in the table of the API description.';

const ID_PARAM = { name: 'id', description: "The entitlement's _id.", example: 'abc1234' };

@ApiTags('CRM Gateway')
@CrmApi()
@ApiHeader({
  name: TENANT_HEADER,
  required: false,
  description:
    'The tenant (project id). Required unless the service has a default tenant (CRM_DEFAULT_TENANT). Unknown: 404 (4040).',
  example: 'demo',
})
@ApiHeader({
  name: CORRELATION_ID_HEADER,
  required: false,
  description:
    "The caller's id for this call flow (at most 128 of A-Z a-z 0-9 _ . : @ -): logged, recorded in the entitlement history, and echoed in the response. Otherwise a UUID is made.",
})
@Controller('crm-gateway/v1/rmg/v1/entitlements')
export class CrmEntitlementsController {
  constructor(private readonly entitlements: CrmEntitlementsService) {}

  @Post()
  @OperatorAuth()
  @ApiOperation({
    operationId: 'createCrmEntitlement',
    summary: 'Add an entitlement to an account',
    description:
      'Mandatory: productId, accountId, validityType, productType, validFrom, expiryDate (validFrom before expiryDate); capabilityType exactly when productType is CAPABILITY. ' +
      'A caller-chosen `_id` makes the create safe to retry: the same `_id` again answers 409 (4090) and changes nothing. ' +
      'With prohibitDuplicateProductPurchase=true the create is refused (409, 4091) when the account already has a SUBSCRIBED entitlement to the product ' +
      'with an overlapping validity, unless that one is device-specific (it has a deviceId and the tenant has device-specific products on); this holds under concurrency. ' +
      ERRORS_SEE,
  })
  @ApiQuery({
    name: 'prohibitDuplicateProductPurchase',
    required: false,
    enum: ['true', 'false'],
    description: 'Refuse a duplicate purchase (see above). Default false.',
  })
  @ApiBody({ type: CreateCrmEntitlementRequest })
  @ApiResponse({ status: 201, type: CreateCrmEntitlementResponse, description: 'Created.' })
  @ApiResponse(errors.badRequest)
  @ApiResponse(errors.forbidden)
  @ApiResponse(errors.tenantNotFound)
  @ApiResponse(errors.conflict)
  @ApiResponse(errors.tooLarge)
  @ApiResponse(errors.unsupported)
  @ApiResponse(errors.internal)
  async createCrmEntitlement(
    @Tenant() tenant: Project,
    @Body(new CrmBodyPipe(CreateCrmEntitlementRequest)) body: Readonly<CreateCrmEntitlementRequest>,
    @Query() query: QueryParams,
    @ChangeCtx(EntitlementOrigin.Crm) ctx: ChangeContext,
  ): Promise<CreateCrmEntitlementResponse> {
    const options = readCreateQuery(query);
    const entitlement = await this.entitlements.create(tenant, newCrmEntitlement(tenant.id, body), options, ctx);
    return { _id: entitlement.id };
  }

  @Get()
  @OperatorAuth()
  @ApiOperation({
    operationId: 'listCrmEntitlements',
    summary: 'List entitlements',
    description:
      "The tenant's entitlements, whichever API created them. `filter` is a MongoDB-style JSON object over the entitlement's fields: " +
      'equality, $eq, $ne, $in, $gt, $gte, $lt, $lte, combined with AND; null means absent. ' +
      `\`limit\` is the page size (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}; 0: only totalRecords), \`page\` is 1-based and needs \`limit\`. ` +
      "Order: `sort`'s keys, then _id (default: created ascending). Any invalid parameter answers 400 with errorCode 4001. " +
      ERRORS_SEE,
  })
  @ApiQuery({
    name: 'filter',
    required: false,
    type: String,
    description: 'MongoDB-style JSON filter.',
    example: '{"accountId":"account1234","status":"SUBSCRIBED","expiryDate":{"$gte":"2023-01-01T00:00:00Z"}}',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description: `Page size, 0 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}); 0 returns only totalRecords.`,
  })
  @ApiQuery({ name: 'page', required: false, type: Number, description: '1-based page number; needs limit.' })
  @ApiQuery({
    name: 'sort',
    required: false,
    type: String,
    description: 'JSON object {"<field>": 1 | -1}; absent values sort first ascending.',
    example: '{"expiryDate":-1}',
  })
  @ApiQuery({
    name: 'fields',
    required: false,
    type: String,
    description: 'The fields to return: comma-separated or a JSON array; _id is always returned.',
    example: 'productId,expiryDate,status',
  })
  @ApiResponse({ status: 200, type: ListCrmEntitlementsResponse })
  @ApiResponse(errors.badRequest)
  @ApiResponse(errors.forbidden)
  @ApiResponse(errors.tenantNotFound)
  @ApiResponse(errors.internal)
  async listCrmEntitlements(
    @Tenant() tenant: Project,
    @Query() query: QueryParams,
  ): Promise<ListCrmEntitlementsResponse> {
    const listQuery = parseCrmListQuery(query);
    const page = await this.entitlements.list(tenant.id, listQuery);
    if (!page.entitlements) return { totalRecords: page.totalRecords };
    return {
      totalRecords: page.totalRecords,
      resourceSet: page.entitlements.map((e) => projectFields(toCrmEntitlementDto(e), listQuery.fields)),
    };
  }

  @Get(':id')
  @OperatorAuth()
  @ApiOperation({
    operationId: 'getCrmEntitlement',
    summary: 'Get one entitlement',
    description: `Any entitlement of the tenant, whichever API created it. ${ERRORS_SEE}`,
  })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, type: CrmEntitlementDto })
  @ApiResponse(errors.badRequest)
  @ApiResponse(errors.forbidden)
  @ApiResponse(errors.notFound)
  @ApiResponse(errors.internal)
  async getCrmEntitlement(
    @Tenant() tenant: Project,
    @Param('id', CrmIdPipe) id: string,
    @Query() query: QueryParams,
  ): Promise<CrmEntitlementDto> {
    refuseQuery(query);
    return toCrmEntitlementDto(await this.entitlements.get(tenant.id, id));
  }

  @Put(':id')
  @OperatorAuth()
  @ApiOperation({
    operationId: 'updateCrmEntitlement',
    summary: 'Update an entitlement (partial)',
    description:
      'Only the fields given change (null clears an optional one); `_id`, `accountId`, `productId`, `created` and `modified` cannot be changed. ' +
      'UNSUBSCRIBED revokes the entitlement. The rules are checked on the merged state. modifiedCount is 0 when nothing changed. ' +
      `The duplicate-purchase rule applies to creates only. ${ERRORS_SEE}`,
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: UpdateCrmEntitlementRequest })
  @ApiResponse({ status: 200, type: UpdateCrmEntitlementResponse })
  @ApiResponse(errors.badRequest)
  @ApiResponse(errors.forbidden)
  @ApiResponse(errors.notFound)
  @ApiResponse(errors.tooLarge)
  @ApiResponse(errors.unsupported)
  @ApiResponse(errors.internal)
  async updateCrmEntitlement(
    @Tenant() tenant: Project,
    @Param('id', CrmIdPipe) id: string,
    @Body(new CrmBodyPipe(UpdateCrmEntitlementRequest)) body: Readonly<UpdateCrmEntitlementRequest>,
    @Query() query: QueryParams,
    @ChangeCtx(EntitlementOrigin.Crm) ctx: ChangeContext,
  ): Promise<UpdateCrmEntitlementResponse> {
    refuseQuery(query);
    const { modified } = await this.entitlements.update(tenant.id, id, crmUpdate(body), ctx);
    return { matchedCount: 1, modifiedCount: modified ? 1 : 0 };
  }

  @Delete(':id')
  @HttpCode(200)
  @OperatorAuth()
  @ApiOperation({
    operationId: 'deleteCrmEntitlement',
    summary: 'Delete an entitlement',
    description: `The entitlement history keeps the deletion and the last state. ${ERRORS_SEE}`,
  })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, type: DeleteCrmEntitlementResponse })
  @ApiResponse(errors.badRequest)
  @ApiResponse(errors.forbidden)
  @ApiResponse(errors.notFound)
  @ApiResponse(errors.internal)
  async deleteCrmEntitlement(
    @Tenant() tenant: Project,
    @Param('id', CrmIdPipe) id: string,
    @Query() query: QueryParams,
    @ChangeCtx(EntitlementOrigin.Crm) ctx: ChangeContext,
  ): Promise<DeleteCrmEntitlementResponse> {
    refuseQuery(query);
    await this.entitlements.delete(tenant.id, id, ctx);
    return { deletedCount: 1 };
  }
}
