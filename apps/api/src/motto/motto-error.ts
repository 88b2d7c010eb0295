import { DomainError, DomainErrorCode, FieldViolation } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { httpStatusOf, RenderedError } from '../common/error-reply';

/** Connect protocol error codes, with their HTTP statuses (Motto-style API). */
export const CONNECT_STATUS: Record<string, number> = {
  invalid_argument: 400,
  failed_precondition: 400,
  out_of_range: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  aborted: 409,
  resource_exhausted: 429,
  internal: 500,
  unavailable: 503,
  deadline_exceeded: 504,
};

const FROM_DOMAIN: Record<DomainErrorCode, string> = {
  [DomainErrorCode.InvalidArgument]: 'invalid_argument',
  [DomainErrorCode.NotFound]: 'not_found',
  [DomainErrorCode.AlreadyExists]: 'already_exists',
  [DomainErrorCode.FailedPrecondition]: 'failed_precondition',
  [DomainErrorCode.DuplicatePurchase]: 'already_exists',
  [DomainErrorCode.Unauthenticated]: 'unauthenticated',
  [DomainErrorCode.PermissionDenied]: 'permission_denied',
  [DomainErrorCode.Aborted]: 'aborted',
  [DomainErrorCode.Unavailable]: 'unavailable',
};

const FROM_STATUS: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  405: 'not_found',
  408: 'deadline_exceeded',
  409: 'aborted',
  413: 'resource_exhausted',
  415: 'invalid_argument',
  431: 'resource_exhausted',
  429: 'resource_exhausted',
  503: 'unavailable',
  504: 'deadline_exceeded',
};

export class FieldViolationDto implements FieldViolation {
  @ApiProperty({
    example: 'offer_prices[0].price.currency_code',
    description: 'Path of the offending field, as the caller wrote it.',
  })
  field: string;
  @ApiProperty({ example: 'must be an ISO 4217 currency code' })
  description: string;
}

/** The Motto-style error body (Connect protocol). */
export class MottoErrorDto {
  @ApiProperty({ enum: Object.keys(CONNECT_STATUS), enumName: 'ConnectCode', example: 'invalid_argument' })
  code: string;
  @ApiProperty({ example: 'name: must be 1 to 200 characters' })
  message: string;
  @ApiPropertyOptional({ type: [FieldViolationDto], description: 'For invalid_argument: every offending field.' })
  details?: FieldViolationDto[];
}

export function mottoErrorFromDomain(error: DomainError): { status: number; body: MottoErrorDto } {
  const code = FROM_DOMAIN[error.code];
  const body: MottoErrorDto = { code, message: error.message };
  if (error.violations.length)
    body.details = error.violations.map((v) => ({ field: v.field, description: v.description }));
  return { status: CONNECT_STATUS[code], body };
}

/**
 * Too large a request keeps its HTTP status (413 body, 431 request line or headers) with the code Connect
 * servers use for a message over their limit, resource_exhausted: Connect maps that code to 429, which tells
 * HTTP clients and proxies to retry, and the same request would fail again. A request whose headers or body did
 * not arrive in time (HTTP_REQUEST_TIMEOUT_MS) keeps its 408, with deadline_exceeded.
 */
const KEEP_STATUS = new Set([408, 413, 431]);

export function mottoErrorFromStatus(status: number, message: string): { status: number; body: MottoErrorDto } {
  const code = FROM_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_argument');
  const keep = CONNECT_STATUS[code] === status || KEEP_STATUS.has(status);
  return { status: keep ? status : CONNECT_STATUS[code], body: { code, message } };
}

/** Any error as the Motto-style API answers it: the Connect body `{code, message, details}`. */
export function renderMottoError(exception: unknown): RenderedError {
  if (exception instanceof DomainError) return mottoErrorFromDomain(exception);
  const { status, message } = httpStatusOf(exception);
  return mottoErrorFromStatus(status, message);
}
