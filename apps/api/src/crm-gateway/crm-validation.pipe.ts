import { DomainError, FieldViolation } from '@app/domain';
import { ValidationError, ValidationPipe } from '@nestjs/common';

/** Flattens class-validator's nested errors into field paths as the caller wrote them (`a.b[2].c`). */
export function violationsOf(errors: ValidationError[], parent = ''): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : parent ? `.${error.property}` : error.property;
    const path = `${parent}${key}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      const description = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
      out.push({ field: path, description: rule === 'whitelistValidation' ? 'unknown field' : description });
    }
    if (error.children?.length) out.push(...violationsOf(error.children, path));
  }
  return out;
}

/**
 * The CRM gateway's body validation (class-validator DTOs, through CrmBodyPipe): unknown fields refused (a
 * typo must not be dropped silently); failures become an invalid-argument DomainError listing every field,
 * rendered by the CRM filter. The Motto-style API reads its bodies with its wire reader instead.
 */
export function crmValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.invalidArgument(violationsOf(errors)),
  });
}
