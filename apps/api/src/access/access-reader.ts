import { DomainError, FieldViolation, OnLimit } from '@app/domain';
import { readableNames, readFields, WireFields } from '../motto/wire/wire-fields';
import { WireReader } from '../motto/wire/wire-reader';
import { AccessRequest } from './fields/access-request.fields';

/** Reads an access-check, batch or session-start body through its field table; every violation at once. */
export function readAccessRequest(body: unknown, fields: WireFields<AccessRequest>): AccessRequest {
  const violations: FieldViolation[] = [];
  const reader = WireReader.of(body, '', readableNames(fields), violations);
  if (!reader) throw DomainError.invalidArgument([{ field: 'body', description: 'must be a JSON object' }]);
  const request = readFields(reader, fields, true);
  if (violations.length > 0) throw DomainError.invalidArgument(violations);
  return { onLimit: OnLimit.Refuse, ...request } as AccessRequest;
}
