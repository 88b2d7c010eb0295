import { DomainError } from '@app/domain';
import { PipeTransform, Type } from '@nestjs/common';
import { crmValidationPipe } from './crm-validation.pipe';
import { idProblem, typeName } from './crm-validators';
import { isPlainObject } from './mongo-filter';

/**
 * Validates a JSON body against a DTO class (class-validator, unknown fields refused), after checking that
 * the body is a JSON object at all, so `[...]`, `"text"` or `42` get a message saying so.
 * Used as `@Body(new CrmBodyPipe(Dto)) body: Readonly<Dto>`.
 */
export class CrmBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  private readonly pipe = crmValidationPipe();

  constructor(private readonly dto: Type<T>) {}

  async transform(value: unknown): Promise<T> {
    if (!isPlainObject(value)) throw DomainError.invalidField('body', `must be a JSON object (got ${typeName(value)})`);
    return (await this.pipe.transform(value, { type: 'body', metatype: this.dto })) as T;
  }
}

/** The `{id}` of a path: a possible `_id`, else 400 naming `_id` (it could never exist, and must not reach SQL). */
export class CrmIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const problem = idProblem(value);
    if (problem) throw DomainError.invalidField('_id', problem);
    return value;
  }
}
