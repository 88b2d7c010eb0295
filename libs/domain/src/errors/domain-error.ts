/**
 * Stable, API-neutral error codes. Each API style maps them onto its own error body
 * (Connect codes for the Motto-style API, numeric errorCodes for the CRM gateway).
 * Once published a code never changes meaning.
 */
export enum DomainErrorCode {
  InvalidArgument = 'INVALID_ARGUMENT',
  NotFound = 'NOT_FOUND',
  AlreadyExists = 'ALREADY_EXISTS',
  FailedPrecondition = 'FAILED_PRECONDITION',
  DuplicatePurchase = 'DUPLICATE_PURCHASE',
  Unauthenticated = 'UNAUTHENTICATED',
  PermissionDenied = 'PERMISSION_DENIED',
  Aborted = 'ABORTED',
  Unavailable = 'UNAVAILABLE',
}

/** One offending input field: its path as the caller wrote it, and what is wrong with it. */
export interface FieldViolation {
  field: string;
  description: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    /** A finer, stable reason within the code (e.g. TENANT_NOT_FOUND), for APIs that distinguish them. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalidArgument(violations: FieldViolation[]): DomainError {
    const message = violations.map((v) => `${v.field}: ${v.description}`).join('; ');
    return new DomainError(DomainErrorCode.InvalidArgument, message, violations);
  }

  static invalidField(field: string, description: string): DomainError {
    return DomainError.invalidArgument([{ field, description }]);
  }

  static notFound(message: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, message);
  }

  static alreadyExists(message: string): DomainError {
    return new DomainError(DomainErrorCode.AlreadyExists, message);
  }

  static failedPrecondition(message: string): DomainError {
    return new DomainError(DomainErrorCode.FailedPrecondition, message);
  }
}
