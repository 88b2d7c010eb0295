import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { CrmErrorDto } from '../crm-gateway/crm-error';
import { MottoErrorDto } from './motto-error';

const MOTTO_ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid_argument (one `details` entry per offending field) or failed_precondition',
  401: 'unauthenticated: missing or invalid platform token',
  403: 'permission_denied: the token lacks the role, or the project',
  404: 'not_found',
  409: 'already_exists',
  500: 'internal: a bug; quote the x-correlation-id',
};

const CRM_ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request (errorCode 4000-4003): the message names the field',
  403: 'Forbidden (errorCode 4030: missing or invalid token; 4031: role or tenant not allowed)',
  404: 'Not found (errorCode 4040: tenant; 4041: entitlement)',
  409: 'Conflict (errorCode 4090: _id taken; 4091: duplicate purchase)',
  500: 'Internal error (errorCode 5000): retry with backoff; quote the x-correlation-id',
};

/** The Motto-style (Connect) error responses an operation can give. */
export const MottoErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: MOTTO_ERROR_DESCRIPTIONS[status], type: MottoErrorDto })));

/** The CRM gateway's error responses an operation can give. */
export const CrmErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: CRM_ERROR_DESCRIPTIONS[status], type: CrmErrorDto })));

/** Every operation may send an x-correlation-id, which every response echoes. */
export const CorrelationIdHeader = () =>
  ApiHeader({ name: 'x-correlation-id', required: false, description: 'Your id for correlating log lines across a call flow (at most 128 of [A-Za-z0-9_.:@-]); echoed in the response. Absent: one is generated.' });
