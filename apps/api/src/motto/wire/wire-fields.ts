import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { WireReader } from './wire-reader';

/**
 * One field of a Motto-style resource, described once: how a request reads it, how a response writes it,
 * and how the OpenAPI document shows it in both. A resource's table of these is the one place its fields
 * are listed; the reader, the response mapper, the request and response schemas and the update-mask paths
 * are all derived from it, so adding a field is one edit.
 */
export interface WireField<D, K extends keyof D = keyof D> {
  /** The domain property the field carries; absent for a wire-only field. */
  key?: K;
  /** Reads the field from a request (`required` on create); absent: output only (accepted and ignored). */
  read?: (reader: WireReader, wire: string, required: boolean) => D[K];
  /** The field's value in a response; absent: input only. */
  write?: (resource: D) => unknown;
  /** The field in the request schema (create), optional unless it says `required: true`; absent: not documented as input. */
  request?: ApiPropertyOptions;
  /** The field in the response schema; absent: input only. */
  response?: ApiPropertyOptions;
  /** May an update_mask name it? Default: true for a readable field. */
  updatable?: boolean;
  /** Where the update schema (`patch`) documents the field differently from `request` (an example, say). */
  patch?: ApiPropertyOptions;
}

export type WireFields<D> = Readonly<Record<string, WireField<D, never> | WireField<D, keyof D>>>;

/** The wire shape a table writes: each field's name with the type its `write` returns. */
export type WireShape<F> = {
  [K in keyof F as F[K] extends { write: (resource: never) => unknown } ? K : never]: F[K] extends {
    write: (resource: never) => infer R;
  }
    ? R
    : never;
};

/** Every wire name of the table: the known fields of a request (output-only ones are accepted and ignored). */
export function wireNames<D>(fields: WireFields<D>): string[] {
  return Object.keys(fields);
}

/** Wire names of the fields a request may set (output-only ones excluded), in table order. */
export function readableNames<D>(fields: WireFields<D>): string[] {
  return Object.entries(fields)
    .filter(([, f]) => f.read)
    .map(([wire]) => wire);
}

/** Wire names of the fields an update_mask may name, in table order. */
export function updatableNames<D>(fields: WireFields<D>): string[] {
  return Object.entries(fields)
    .filter(([, f]) => f.read && f.key && f.updatable !== false)
    .map(([wire]) => wire);
}

/** Reads every readable field of the table, in table order; violations accumulate in the reader. */
export function readFields<D>(reader: WireReader, fields: WireFields<D>, required: boolean): Partial<D> {
  const out: Partial<D> = {};
  for (const [wire, field] of Object.entries(fields)) {
    if (field.read && field.key) out[field.key] = field.read(reader, wire, required);
  }
  return out;
}

/** The response body of a resource: every field of the table, in table order. */
export function writeFields<D, F extends WireFields<D>>(resource: D, fields: F): WireShape<F> {
  const out: Record<string, unknown> = {};
  for (const [wire, field] of Object.entries(fields)) if (field.write) out[wire] = field.write(resource);
  return out as WireShape<F>;
}

/**
 * Declares the table's properties on a DTO class, for the OpenAPI document: the `request` (create) side,
 * the `patch` side (the updatable fields, all optional), or the `response` side.
 */
export function documentFields<D>(
  dto: Type<unknown>,
  fields: WireFields<D>,
  side: 'request' | 'patch' | 'response',
): void {
  const updatable = new Set(updatableNames(fields));
  for (const [wire, field] of Object.entries(fields)) {
    const options = propertyOptions(field, side, updatable.has(wire));
    if (options) ApiProperty(options)(dto.prototype as object, wire);
  }
}

function propertyOptions<D>(
  field: WireField<D, never> | WireField<D, keyof D>,
  side: 'request' | 'patch' | 'response',
  updatable: boolean,
): ApiPropertyOptions | undefined {
  if (side === 'response') return field.response;
  if (!field.request || (side === 'patch' && !updatable)) return undefined;
  const options =
    side === 'patch' ? { ...field.request, ...field.patch, required: false } : { required: false, ...field.request };
  return options as ApiPropertyOptions;
}
