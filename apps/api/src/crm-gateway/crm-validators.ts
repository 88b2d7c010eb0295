import { parseRfc3339 } from '../common/rfc3339';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * The CRM gateway's field validators. Each one checks everything about its field and reports the one
 * problem that matters ("required", "must be a string (got number)", "must be at most 256 characters"),
 * so every bad field yields exactly one line naming it.
 */

/** Presence rules: `required` refuses absence; `nullable` accepts null (create: as absent; update: clears). */
export interface PresenceRule {
  required?: boolean;
  nullable?: boolean;
}

/** `_id`: at most 128 characters (the column), URL-safe as it appears in paths, and never `.` or `..`. */
export const CRM_ID_MAX = 128;
export const CRM_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._~:@-]{1,128}$/;
export const CRM_ID_DESCRIPTION = `must be 1 to ${CRM_ID_MAX} URL-safe characters (letters, digits and . _ ~ : @ -), not "." or ".."`;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The problem with a presence rule, or undefined when the value is present (or allowed absent). */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- 'skip' names the sentinel for the reader
function presenceProblem(value: unknown, rule: PresenceRule): string | undefined | 'skip' {
  if (value === undefined) return rule.required ? 'required' : 'skip';
  if (value === null)
    return rule.nullable && !rule.required ? 'skip' : rule.required ? 'required (null given)' : 'must not be null';
  return undefined;
}

/** A string of 1 to `max` characters, not blank, without control characters. */
export function textProblem(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${typeName(value)})`;
  if (value.trim() === '') return 'must not be empty';
  if (value.length > max) return `must be at most ${max} characters (got ${value.length})`;
  if (CONTROL.test(value)) return 'must not contain control characters';
  return undefined;
}

export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${typeName(value)})`;
  return CRM_ID_PATTERN.test(value) ? undefined : CRM_ID_DESCRIPTION;
}

export const DATE_TIME_DESCRIPTION =
  'must be an ISO 8601 date-time with a zone, e.g. 2022-04-26T11:01:46.082Z or 2022-04-26T13:01:46+02:00';
const LOOKS_ZONELESS = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/**
 * ISO 8601 date-times with a zone, in their RFC 3339 profile: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
 * Refused: no zone, impossible dates (Feb 30), years outside 0001-9999. Held to milliseconds.
 */
export function parseCrmDateTime(value: unknown): Date | undefined {
  return typeof value === 'string' && value.length <= 64 ? parseRfc3339(value) : undefined;
}

export function dateTimeProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${typeName(value)})`;
  if (parseCrmDateTime(value)) return undefined;
  if (LOOKS_ZONELESS.test(value)) return `must include a zone (Z or ±HH:MM): ${DATE_TIME_DESCRIPTION}`;
  return `is not a valid date-time: ${DATE_TIME_DESCRIPTION}`;
}

export function enumProblem(value: unknown, values: readonly string[]): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${typeName(value)})`;
  return values.includes(value) ? undefined : `must be one of ${values.join(', ')}`;
}

export function booleanProblem(value: unknown): string | undefined {
  return typeof value === 'boolean' ? undefined : `must be true or false (got ${typeName(value)})`;
}

/** A class-validator decorator from a problem function: valid when the function finds no problem. */
function crmRule(
  name: string,
  find: (value: unknown) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => find(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => find(args?.value) ?? 'is invalid',
      },
    },
    options,
  );
}

/** The presence rule first, then the value's own check. */
function withPresence(
  rule: PresenceRule,
  problem: (value: unknown) => string | undefined,
): (value: unknown) => string | undefined {
  return (value) => {
    const presence = presenceProblem(value, rule);
    if (presence === 'skip') return undefined;
    return presence ?? problem(value);
  };
}

export const IsCrmText = (max: number, rule: PresenceRule = {}) =>
  crmRule(
    'crmText',
    withPresence(rule, (v) => textProblem(v, max)),
  );
export const IsCrmId = (rule: PresenceRule = {}) => crmRule('crmId', withPresence(rule, idProblem));
export const IsCrmDateTime = (rule: PresenceRule = {}) => crmRule('crmDateTime', withPresence(rule, dateTimeProblem));
export const IsCrmEnum = (values: readonly string[], rule: PresenceRule = {}) =>
  crmRule(
    'crmEnum',
    withPresence(rule, (v) => enumProblem(v, values)),
  );
export const IsCrmBoolean = (rule: PresenceRule = {}) => crmRule('crmBoolean', withPresence(rule, booleanProblem));
/** A field that may not be sent at all, not even as null (immutable on update). */
export const IsAbsent = (description: string) =>
  crmRule('crmAbsent', (v) => (v === undefined ? undefined : description));
