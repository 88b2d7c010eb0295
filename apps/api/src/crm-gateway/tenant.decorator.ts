import { Project } from '@app/domain';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { TenantRequest } from '../auth/access.guard';

/** The tenant (project) that @OperatorAuth resolved from `nv-tenant-id` (or the default tenant). */
export const Tenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): Project => {
  const tenant = ctx.switchToHttp().getRequest<TenantRequest>().tenant;
  // Only reachable on a route without @OperatorAuth: a programming error, never the caller's.
  if (!tenant) throw new Error('no tenant on the request: the route needs @OperatorAuth()');
  return tenant;
});
