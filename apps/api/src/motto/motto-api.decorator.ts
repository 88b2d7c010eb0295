import { applyDecorators, UseFilters } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { CorrelationIdHeader } from '../common/api-docs';
import { MottoErrorDto } from './motto-error';
import { MottoExceptionFilter } from './motto-exception.filter';
import { RateLimitedResponse } from '../rate-limit/rate-limit.docs';

const MOTTO_ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid_argument (one `details` entry per offending field) or failed_precondition',
  401: 'unauthenticated: missing or invalid platform token',
  403: 'permission_denied: the token lacks the role, or the project',
  404: 'not_found',
  409: 'already_exists',
  500: 'internal: a bug; quote the x-correlation-id',
};

/** The Motto-style (Connect) error responses an operation can give. */
export const MottoErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: MOTTO_ERROR_DESCRIPTIONS[status], type: MottoErrorDto }),
    ),
  );

/**
 * Marks a controller as part of the Motto-style API: its errors answer the Connect body (MottoExceptionFilter),
 * and its operations document the x-correlation-id header.
 */
export const MottoApi = () =>
  applyDecorators(
    UseFilters(MottoExceptionFilter),
    CorrelationIdHeader(),
    RateLimitedResponse(
      MottoErrorDto,
      'resource_exhausted: a rate limit of the token subject or the project was reached',
    ),
  );
