import { ChangeContext } from '@app/database';
import { EntitlementOrigin } from '@app/domain';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Principal } from '../auth/principal';

/**
 * Who changes what, through which API, in which request: handed to the EntitlementStore so the history
 * records the token's subject and the request's correlation id.
 */
export const ChangeCtx = createParamDecorator((api: EntitlementOrigin, ctx: ExecutionContext): ChangeContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
  return { actor: request.user?.subject || 'unknown', api, correlationId: String(request.id) };
});
