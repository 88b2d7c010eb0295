import { FieldViolation } from '@app/domain';
import { Int64Bounds, parseInt64 } from './int64';
import { parseRfc3339 } from '../../common/rfc3339';
import {
  WireObject,
  fieldPath,
  indexPath,
  isWireObject,
  mapKeyPath,
  quoted,
  stringProblem,
  unknownFieldViolations,
  wireTypeName,
} from './wire';

export interface StringRule {
  /** Fewest characters; 0 (the default) allows the empty string. */
  min?: number;
  max: number;
  /** Absent (or null) is a violation; otherwise absent reads as the empty string, the protobuf default. */
  required?: boolean;
}

export interface StringListRule {
  maxItems: number;
  /** Each item is 1 to maxLength characters, unless `itemProblem` is given. */
  maxLength?: number;
  itemProblem?: (item: string) => string | undefined;
}

export interface StringMapRule {
  maxEntries: number;
  maxValueLength: number;
  isKey: (key: string) => boolean;
  keyDescription: string;
}

/**
 * Reads the fields of one JSON object of a request, recording a violation (with the field's wire path)
 * for every value of the wrong type or shape and returning the protobuf default in its place, so that one
 * pass reports every problem. Absent and `null` both read as the default, as in protobuf-JSON.
 */
export class WireReader {
  constructor(
    private readonly obj: WireObject,
    readonly path: string,
    readonly violations: FieldViolation[],
  ) {}

  /** A reader of `value` when it is an object, after flagging its unknown fields; else a violation at `path`. */
  static of(
    value: unknown,
    path: string,
    known: readonly string[],
    violations: FieldViolation[],
  ): WireReader | undefined {
    if (!isWireObject(value)) {
      violations.push({ field: path, description: `must be an object (got ${wireTypeName(value)})` });
      return undefined;
    }
    violations.push(...unknownFieldViolations(value, known, path));
    return new WireReader(value, path, violations);
  }

  pathOf(key: string): string {
    return fieldPath(this.path, key);
  }

  fail(key: string, description: string): void {
    this.violations.push({ field: this.pathOf(key), description });
  }

  raw(key: string): unknown {
    const value = Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
    return value === null ? undefined : value;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  string(key: string, rule: StringRule): string {
    const value = this.raw(key);
    if (value === undefined) {
      if (rule.required) this.fail(key, 'is required');
      return '';
    }
    if (typeof value !== 'string') {
      this.fail(key, `must be a string (got ${wireTypeName(value)})`);
      return '';
    }
    const problem = stringProblem(value, rule.min ?? 0, rule.max);
    if (problem) this.fail(key, problem);
    return value;
  }

  boolean(key: string): boolean {
    const value = this.raw(key);
    if (value === undefined) return false;
    if (typeof value !== 'boolean') {
      this.fail(key, `must be true or false (got ${wireTypeName(value)})`);
      return false;
    }
    return value;
  }

  /** The canonical decimal string; undefined when absent or invalid. */
  int64(key: string, bounds: Int64Bounds = {}): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const result = parseInt64(value, bounds);
    if (result.problem !== undefined) this.fail(key, result.problem);
    return result.value;
  }

  /** One of `names` (protobuf-JSON enum names; enum numbers are refused), or `fallback`. */
  enumName<T extends string>(key: string, names: readonly T[], fallback: T, required = false): T {
    const value = this.raw(key);
    if (value === undefined) {
      if (required) this.fail(key, `is required: one of ${names.join(', ')}`);
      return fallback;
    }
    if (typeof value === 'string' && (names as readonly string[]).includes(value)) return value as T;
    this.fail(key, `must be one of ${names.join(', ')} (got ${quoted(value)})`);
    return fallback;
  }

  timestamp(key: string): Date | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const parsed = typeof value === 'string' ? parseRfc3339(value) : undefined;
    if (!parsed) {
      const got = typeof value === 'string' ? quoted(value) : wireTypeName(value);
      this.fail(key, `must be an RFC 3339 timestamp such as 2023-11-07T05:31:56Z (got ${got})`);
    }
    return parsed;
  }

  /** A reader of the nested object, or undefined when absent (no violation) or not an object. */
  object(key: string, known: readonly string[]): WireReader | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    return WireReader.of(value, this.pathOf(key), known, this.violations);
  }

  /** The items, or [] when absent, not an array, or longer than `maxItems` (one violation, items unchecked). */
  array(key: string, maxItems: number): unknown[] {
    const value = this.raw(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(key, `must be an array (got ${wireTypeName(value)})`);
      return [];
    }
    if (value.length > maxItems) {
      this.fail(key, `must have at most ${maxItems} items (got ${value.length})`);
      return [];
    }
    return value;
  }

  stringList(key: string, rule: StringListRule): string[] {
    const items = this.array(key, rule.maxItems);
    const out: string[] = [];
    items.forEach((item, i) => {
      const path = indexPath(this.pathOf(key), i);
      const problem =
        typeof item !== 'string'
          ? `must be a string (got ${wireTypeName(item)})`
          : (rule.itemProblem?.(item) ?? stringProblem(item, 1, rule.maxLength ?? Number.MAX_SAFE_INTEGER));
      if (problem) this.violations.push({ field: path, description: problem });
      else out.push(item as string);
    });
    return out;
  }

  /** A map as a JSON object; only the valid entries are kept (a key like `__proto__` never is). */
  stringMap(key: string, rule: StringMapRule): Record<string, string> {
    const value = this.raw(key);
    const out: Record<string, string> = {};
    if (value === undefined) return out;
    if (!isWireObject(value)) {
      this.fail(key, `must be an object mapping keys to strings (got ${wireTypeName(value)})`);
      return out;
    }
    const entries = Object.entries(value);
    if (entries.length > rule.maxEntries) {
      this.fail(key, `must have at most ${rule.maxEntries} entries (got ${entries.length})`);
      return out;
    }
    for (const [k, v] of entries) {
      const path = mapKeyPath(this.pathOf(key), k);
      const keyOk = rule.isKey(k);
      if (!keyOk) this.violations.push({ field: path, description: `key ${quoted(k)} ${rule.keyDescription}` });
      const problem =
        typeof v === 'string' ? stringProblem(v, 1, rule.maxValueLength) : `must be a string (got ${wireTypeName(v)})`;
      if (problem) this.violations.push({ field: path, description: problem });
      if (keyOk && !problem) out[k] = v as string;
    }
    return out;
  }
}
