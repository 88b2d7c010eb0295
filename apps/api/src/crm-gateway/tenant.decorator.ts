import { Project } from '@app/domain';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { TenantRequest } from './tenant.guard';

/** The tenant (project) that TenantGuard resolved from `nv-tenant-id` (or the default tenant). */
export const Tenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): Project => {
  const tenant = ctx.switchToHttp().getRequest<TenantRequest>().tenant;
  // Only reachable on a controller without @CrmApi() (TenantGuard): a programming error, never the caller's.
  if (!tenant) throw new Error('no tenant on the request: the controller needs @CrmApi()');
  return tenant;
});
