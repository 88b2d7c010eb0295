import { DomainError, DomainErrorCode } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';
import { httpStatusOf, RenderedError } from '../common/error-reply';

/**
 * The CRM gateway's numeric error codes (ours: the operator platform does not publish its own).
 * One code per distinct failure; stable once published. Documented in the README and the OpenAPI description.
 */
export const CRM_ERROR_CODES = [
  {
    errorCode: 4000,
    status: 400,
    meaning: 'Invalid request: a field is missing, has the wrong type or an invalid value (the message names it).',
  },
  { errorCode: 4001, status: 400, meaning: 'Invalid list query: filter, sort, fields, limit or page.' },
  { errorCode: 4002, status: 400, meaning: 'Missing nv-tenant-id header, and no default tenant is configured.' },
  {
    errorCode: 4003,
    status: 400,
    meaning: "The request conflicts with the entitlement's state (failed precondition).",
  },
  { errorCode: 4030, status: 403, meaning: 'Missing, malformed, expired or untrusted token.' },
  {
    errorCode: 4031,
    status: 403,
    meaning: 'The token lacks the realm role operatorRole/adminRole, or is not allowed this tenant.',
  },
  { errorCode: 4040, status: 404, meaning: 'The tenant (nv-tenant-id) does not exist.' },
  { errorCode: 4041, status: 404, meaning: 'The entitlement does not exist in this tenant.' },
  { errorCode: 4042, status: 404, meaning: 'No such route.' },
  {
    errorCode: 4080,
    status: 408,
    meaning:
      'The request line, headers or body did not arrive in time (HTTP_REQUEST_TIMEOUT_MS); the connection closes.',
  },
  { errorCode: 4090, status: 409, meaning: 'An entitlement with this _id already exists.' },
  {
    errorCode: 4091,
    status: 409,
    meaning:
      'Duplicate purchase: the account already has a SUBSCRIBED entitlement to this product with overlapping validity (prohibitDuplicateProductPurchase=true).',
  },
  { errorCode: 4092, status: 409, meaning: 'Concurrent modification; retry.' },
  { errorCode: 4130, status: 413, meaning: 'Request body too large.' },
  { errorCode: 4150, status: 415, meaning: 'Unsupported content type: send application/json.' },
  {
    errorCode: 4290,
    status: 429,
    meaning: 'Rate limit exceeded (per token subject or per tenant): retry after the Retry-After seconds.',
  },
  { errorCode: 4310, status: 431, meaning: 'Request line or headers too large (the URL and headers over 16 KiB).' },
  { errorCode: 5000, status: 500, meaning: 'Internal error (retry with backoff; report the x-correlation-id).' },
  { errorCode: 5030, status: 503, meaning: 'Service unavailable (retry with backoff).' },
] as const;

export type CrmErrorCode = (typeof CRM_ERROR_CODES)[number]['errorCode'];

/** The CRM gateway's error body: `{"code": <HTTP status>, "errorCode": <number>, "message": "..."}`. */
export class CrmErrorDto {
  @ApiProperty({ example: 400, description: 'The HTTP status.' })
  code: number;
  @ApiProperty({
    example: 4000,
    enum: CRM_ERROR_CODES.map((c) => c.errorCode),
    enumName: 'CrmErrorCode',
    description: 'See the error code table.',
  })
  errorCode: number;
  @ApiProperty({ example: 'productId: required' })
  message: string;
}

function body(errorCode: CrmErrorCode, message: string): { status: number; body: CrmErrorDto } {
  const status = CRM_ERROR_CODES.find((c) => c.errorCode === errorCode)!.status;
  return { status, body: { code: status, errorCode, message } };
}

export function crmErrorFromDomain(error: DomainError): { status: number; body: CrmErrorDto } {
  switch (error.code) {
    case DomainErrorCode.InvalidArgument:
      if (error.reason === 'MISSING_TENANT') return body(4002, error.message);
      if (error.reason === 'INVALID_QUERY') return body(4001, error.message);
      return body(4000, error.message);
    case DomainErrorCode.FailedPrecondition:
      return body(4003, error.message);
    case DomainErrorCode.Unauthenticated:
      return body(4030, error.message);
    case DomainErrorCode.PermissionDenied:
      return body(4031, error.message);
    case DomainErrorCode.NotFound:
      return body(error.reason === 'TENANT_NOT_FOUND' ? 4040 : 4041, error.message);
    case DomainErrorCode.AlreadyExists:
      return body(4090, error.message);
    case DomainErrorCode.DuplicatePurchase:
      return body(4091, error.message);
    case DomainErrorCode.Aborted:
      return body(4092, error.message);
    case DomainErrorCode.Unavailable:
      return body(5030, error.message);
  }
}

export function crmErrorFromStatus(status: number, message: string): { status: number; body: CrmErrorDto } {
  switch (status) {
    case 400:
      return body(4000, message);
    case 401:
    case 403:
      return body(4030, message);
    case 404:
    case 405:
      return body(4042, message);
    case 408:
      return body(4080, message);
    case 413:
      return body(4130, message);
    case 415:
      return body(4150, message);
    case 429:
      return body(4290, message);
    case 431:
      return body(4310, message);
    case 503:
      return body(5030, message);
    default:
      return status >= 500 ? body(5000, 'internal error') : body(4000, message);
  }
}

/** Any error as the CRM gateway answers it: `{code, errorCode, message}`. */
export function renderCrmError(exception: unknown): RenderedError {
  if (exception instanceof DomainError) return crmErrorFromDomain(exception);
  const { status, message } = httpStatusOf(exception);
  return crmErrorFromStatus(status, message);
}
