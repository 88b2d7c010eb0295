import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { CrmErrorDto } from './crm-error';
import { CrmExceptionFilter } from './crm-exception.filter';
import { TenantGuard } from './tenant.guard';
import { RateLimitedResponse } from '../rate-limit/rate-limit.docs';

const CRM_ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request (errorCode 4000-4003): the message names the field',
  403: 'Forbidden (errorCode 4030: missing or invalid token; 4031: role or tenant not allowed)',
  404: 'Not found (errorCode 4040: tenant; 4041: entitlement)',
  409: 'Conflict (errorCode 4090: _id taken; 4091: duplicate purchase)',
  500: 'Internal error (errorCode 5000): retry with backoff; quote the x-correlation-id',
};

/** The CRM gateway's error responses an operation can give. */
export const CrmErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: CRM_ERROR_DESCRIPTIONS[status], type: CrmErrorDto }),
    ),
  );

/**
 * Marks a controller as part of the CRM gateway: its errors answer `{code, errorCode, message}`
 * (CrmExceptionFilter), and its routes run for the tenant TenantGuard resolves (after the global AccessGuard).
 */
export const CrmApi = () =>
  applyDecorators(
    UseFilters(CrmExceptionFilter),
    UseGuards(TenantGuard),
    RateLimitedResponse(
      CrmErrorDto,
      'Too many requests (errorCode 4290): a rate limit of the token subject or the tenant',
    ),
  );
