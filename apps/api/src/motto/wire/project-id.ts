import { projectIdProblem } from '@app/domain';
import { wireTypeName } from './wire';
import { WireReader } from './wire-reader';

/** A project id (a URL-safe slug) from a request; '' when absent or invalid (the violation is recorded). */
export function readProjectId(reader: WireReader, wire: string, required: boolean): string {
  const value = reader.raw(wire);
  if (value === undefined) {
    if (required) reader.fail(wire, 'is required');
    return '';
  }
  if (typeof value !== 'string') {
    reader.fail(wire, `must be a string (got ${wireTypeName(value)})`);
    return '';
  }
  const problem = projectIdProblem(value);
  if (problem) reader.fail(wire, problem);
  return value;
}
