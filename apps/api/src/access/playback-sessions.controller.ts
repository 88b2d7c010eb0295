import { ChangeContext } from '@app/database';
import { EntitlementOrigin, PlaybackSession } from '@app/domain';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentPrincipal, PlatformAuth } from '../auth/auth.decorators';
import { PlatformPrincipal } from '../auth/principal';
import { jsonObject, RepliesJsonText } from '../common/json-text';
import { ChangeCtx } from '../common/request-context';
import { MottoApi, MottoErrors } from '../motto/motto-api.decorator';
import { requiredQuery } from '../motto/wire/page-token';
import { writeFields } from '../motto/wire/wire-fields';
import { readAccessRequest } from './access-reader';
import { SESSION_START_FIELDS, StartPlaybackSessionRequest } from './fields/access-request.fields';
import {
  accessCheckText,
  ListPlaybackSessionsResponse,
  PlaybackRefusalDto,
  PlaybackSessionResponse,
  SESSION_FIELDS,
  StartPlaybackSessionResponse,
} from './fields/access-response.fields';
import { PlaybackService } from './playback.service';
import { Metrics } from '../observability/metrics';

const PROJECT_QUERY = { name: 'project_id', required: true, type: String, example: 'rtt-show' };
const SESSION_PARAM = { name: 'session_id', type: String, example: '3d6f0a52-8c1e-4f7e-9a55-2b1f0c9d8e7a' };
const ROLES = 'Roles: playback, editor, admin.';

@ApiTags('Playback sessions')
@MottoApi()
@MottoErrors(400, 401, 404, 500)
@Controller('monetization/playback-sessions/v1')
export class PlaybackSessionsController {
  constructor(
    private readonly playback: PlaybackService,
    private readonly metrics: Metrics,
  ) {}

  /** The project_id query parameter, required, and a project the token may play in. */
  private project(principal: PlatformPrincipal, projectId: string | undefined): string {
    const project = requiredQuery('project_id', projectId);
    principal.requireProject(project, 'playback');
    return project;
  }

  private view(session: PlaybackSession) {
    return writeFields(
      { session, at: new Date(), heartbeatIntervalS: this.playback.heartbeatIntervalS },
      SESSION_FIELDS,
    );
  }

  @Post()
  @HttpCode(200)
  @PlatformAuth('playback')
  @RepliesJsonText()
  @ApiOperation({
    summary: 'Start watching',
    description:
      'Decides access (as an access check) and, when granted, takes a concurrent-stream slot of the granting entitlement ' +
      'for a lease that heartbeats extend (`expire_time`, `heartbeat_interval`). One slot per device: the same device ' +
      'starting again replaces its own session. A RELATIVE rental starts its clock at its first session. Refused: 403 ' +
      'with the decision in `access_check` (its `reason`), and for CONCURRENCY_LIMIT the `active_sessions`; with ' +
      `\`on_limit: EVICT_OLDEST\` the oldest session is ended instead (its next heartbeat answers EVICTED). ${ROLES}`,
  })
  @ApiBody({ type: StartPlaybackSessionRequest })
  @ApiOkResponse({ type: StartPlaybackSessionResponse, description: 'The session, and the decision that granted it.' })
  @ApiResponse({
    status: 403,
    type: PlaybackRefusalDto,
    description: 'permission_denied: access refused (see access_check.reason), or the token lacks the role or project.',
  })
  async startPlaybackSession(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @ChangeCtx(EntitlementOrigin.Motto) ctx: ChangeContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const request = readAccessRequest(body, SESSION_START_FIELDS);
    principal.requireProject(request.projectId, 'playback');
    const result = await this.playback.start(request, ctx);
    this.metrics.playbackStart(result.granted, result.check.decision.reason);
    const access_check = accessCheckText(result.check);
    if (result.granted) return jsonObject({ playback_session: this.view(result.session), access_check }).text;
    void reply.status(403);
    return jsonObject({
      code: 'permission_denied',
      message: `access refused: ${result.check.decision.reason}`,
      access_check,
      active_sessions: result.live.map((session) => this.view(session)),
    }).text;
  }

  @Post(':session_id/heartbeat')
  @HttpCode(200)
  @PlatformAuth('playback')
  @ApiOperation({
    summary: 'Keep a session alive',
    description:
      'Extends the lease while the session may go on. When it may not, the session is ENDED and `end_reason` says why, so ' +
      'the player stops: EVICTED, EXPIRED (no heartbeat in time), ENTITLEMENT_REVOKED, ENTITLEMENT_EXPIRED, REPLACED, ' +
      `STOPPED. ${ROLES}`,
  })
  @ApiParam(SESSION_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiOkResponse({
    type: PlaybackSessionResponse,
    description: 'The session: ACTIVE with its new expire_time, or ENDED.',
  })
  @MottoErrors(403)
  async heartbeatPlaybackSession(
    @Param('session_id') sessionId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
  ): Promise<PlaybackSessionResponse> {
    const project = this.project(principal, projectId);
    return { playback_session: this.view(await this.playback.heartbeat(project, sessionId)) };
  }

  @Delete(':session_id')
  @PlatformAuth('playback')
  @ApiOperation({
    summary: 'Stop watching',
    description: `Releases the slot. Stopping an ended session changes nothing. ${ROLES}`,
  })
  @ApiParam(SESSION_PARAM)
  @ApiQuery(PROJECT_QUERY)
  @ApiOkResponse({ type: PlaybackSessionResponse, description: 'The session, ENDED.' })
  @MottoErrors(403)
  async stopPlaybackSession(
    @Param('session_id') sessionId: string,
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
  ): Promise<PlaybackSessionResponse> {
    const project = this.project(principal, projectId);
    return { playback_session: this.view(await this.playback.stop(project, sessionId)) };
  }

  @Get()
  @PlatformAuth('playback')
  @ApiOperation({
    summary: "List a viewer's live sessions",
    description: `"Your devices" screens and support. ${ROLES}`,
  })
  @ApiQuery(PROJECT_QUERY)
  @ApiQuery({ name: 'user_id', required: true, type: String, example: 'user-8d2f' })
  @ApiOkResponse({ type: ListPlaybackSessionsResponse })
  @MottoErrors(403)
  async listPlaybackSessions(
    @CurrentPrincipal() principal: PlatformPrincipal,
    @Query('project_id') projectId?: string,
    @Query('user_id') userId?: string,
  ): Promise<ListPlaybackSessionsResponse> {
    const project = this.project(principal, projectId);
    const user = requiredQuery('user_id', userId);
    return { playback_sessions: (await this.playback.live(project, user)).map((session) => this.view(session)) };
  }
}
