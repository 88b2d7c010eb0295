import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { jsonArray, jsonObject, RepliesJsonText } from '../common/json-text';
import { readAccessRequest } from './access-reader';
import { AccessService } from './access.service';
import {
  ACCESS_CHECK_FIELDS,
  BATCH_CHECK_FIELDS,
  BatchCheckAccessRequest,
  CheckAccessRequest,
  MAX_BATCH_CONTENTS,
} from './fields/access-request.fields';
import { accessCheckText, AccessCheckResponse, BatchAccessCheckResponse } from './fields/access-response.fields';

@ApiTags('Access')
@MottoApi()
@MottoErrors(400, 401, 403, 404, 500)
@Controller('monetization/access-checks/v1')
export class AccessChecksController {
  constructor(private readonly access: AccessService) {}

  @Post()
  @HttpCode(200)
  @PlatformAuth('playback')
  @RepliesJsonText()
  @ApiOperation({
    summary: 'Decide access to content',
    description:
      'May this viewer watch this content, here, on this device, now? Answers granted or the reason why not, the granting ' +
      'entitlement and offer, the basis (ENTITLEMENT or EU_PORTABILITY), the end of access and the concurrency limit, ' +
      'and the published offers that would grant the content in this country (a paywall). A check changes nothing: ' +
      'a RELATIVE rental starts with a playback session, not a check. Roles: playback, editor, admin.',
  })
  @ApiBody({ type: CheckAccessRequest })
  @ApiOkResponse({ type: AccessCheckResponse, description: 'The decision.' })
  async checkAccess(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<string> {
    const request = readAccessRequest(body, ACCESS_CHECK_FIELDS);
    principal.requireProject(request.projectId, 'playback');
    const [check] = await this.access.check(request);
    return jsonObject({ access_check: accessCheckText(check) }).text;
  }

  @Post('batch')
  @HttpCode(200)
  @PlatformAuth('playback')
  @RepliesJsonText()
  @ApiOperation({
    summary: 'Decide access to several contents',
    description: `The same decision for 1 to ${MAX_BATCH_CONTENTS} contents of one viewer (a page of videos), in request order.`,
  })
  @ApiBody({ type: BatchCheckAccessRequest })
  @ApiOkResponse({ type: BatchAccessCheckResponse, description: 'One decision per content, in request order.' })
  async batchCheckAccess(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
  ): Promise<string> {
    const request = readAccessRequest(body, BATCH_CHECK_FIELDS);
    principal.requireProject(request.projectId, 'playback');
    const checks = await this.access.check(request);
    return jsonObject({ access_checks: jsonArray(checks.map(accessCheckText)) }).text;
  }
}
