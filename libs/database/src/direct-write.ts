import { EntityManager, EntityMetadata, EntityProperty, ReferenceKind } from '@mikro-orm/postgresql';
import { Db, directQuery, emOf } from './direct-query';

/**
 * Writes of the hot write paths (an upsert, a CRM create, a playback session start) straight through node-postgres
 * on the transaction's connection: one INSERT, UPDATE or DELETE with bound parameters, no unit of work. The ORM's
 * metadata (schema/*.schema.ts) stays the one source of column names and value conversions (custom types: int8 as
 * text, JSON, text[]), so a column added to a schema is written here too.
 */

interface Column {
  property: string;
  name: string;
  prop: EntityProperty;
}

interface Table {
  name: string;
  columns: Column[];
  primaryKeys: Column[];
}

const tables = new WeakMap<EntityMetadata, Table>();

function tableOf(em: EntityManager, entity: object): Table {
  const meta = em.getMetadata().find(entity.constructor.name);
  if (!meta) throw new Error(`direct-write: ${entity.constructor.name} is not a mapped class`);
  let table = tables.get(meta);
  if (!table) {
    const columns = meta.props
      .filter((p) => p.persist !== false && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
      .map((p) => ({ property: p.name, name: p.fieldNames[0], prop: p }));
    table = { name: meta.tableName, columns, primaryKeys: columns.filter((c) => c.prop.primary) };
    tables.set(meta, table);
  }
  return table;
}

const quote = (name: string) => `"${name}"`;

/** A property's value as the driver should bind it (the column type's conversion; undefined as null). */
function dbValue(em: EntityManager, column: Column, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const type = column.prop.customType;
  return type ? type.convertToDatabaseValue(value, em.getPlatform(), { mode: 'query' }) : value;
}

/** The entity's value of a column, as the driver should bind it. */
const boundValue = (em: EntityManager, column: Column, entity: object): unknown =>
  dbValue(em, column, (entity as Record<string, unknown>)[column.property]);

/**
 * INSERTs one object of a mapped class. Properties left undefined that the database fills (a serial key, a column
 * default) are left out; every other one is written (undefined as NULL).
 */
export async function insertRow(db: Db, entity: object): Promise<void> {
  const em = emOf(db);
  const table = tableOf(em, entity);
  const names: string[] = [];
  const values: unknown[] = [];
  for (const column of table.columns) {
    const value = (entity as Record<string, unknown>)[column.property];
    if (value === undefined && (column.prop.autoincrement || column.prop.default !== undefined)) continue;
    names.push(quote(column.name));
    values.push(dbValue(em, column, value));
  }
  await directQuery(
    db,
    `insert into ${quote(table.name)} (${names.join(', ')}) values (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

/** The bound values of an object's columns, to tell later which of them changed (updateRow). */
export function rowValues(db: Db, entity: object): Map<string, string> {
  const em = emOf(db);
  const table = tableOf(em, entity);
  const values = new Map<string, string>();
  for (const column of table.columns) {
    values.set(column.name, comparable(boundValue(em, column, entity)));
  }
  return values;
}

const comparable = (value: unknown): string =>
  value instanceof Date ? `d${value.getTime()}` : JSON.stringify(value ?? null);

/**
 * UPDATEs the columns of an object whose bound value differs from `before` (rowValues when it was read), by its
 * primary key. Nothing differs: no statement.
 */
export async function updateRow(db: Db, entity: object, before: Map<string, string>): Promise<void> {
  const em = emOf(db);
  const table = tableOf(em, entity);
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const column of table.columns) {
    if (column.prop.primary) continue;
    const value = boundValue(em, column, entity);
    if (before.get(column.name) === comparable(value)) continue;
    sets.push(`${quote(column.name)} = $${values.push(value)}`);
  }
  if (sets.length === 0) return;
  const where = whereKey(em, table, entity, values);
  await directQuery(db, `update ${quote(table.name)} set ${sets.join(', ')} where ${where}`, values);
}

/** DELETEs one object's row by its primary key. */
export async function deleteRow(db: Db, entity: object): Promise<void> {
  const em = emOf(db);
  const table = tableOf(em, entity);
  const values: unknown[] = [];
  const where = whereKey(em, table, entity, values);
  await directQuery(db, `delete from ${quote(table.name)} where ${where}`, values);
}

function whereKey(em: EntityManager, table: Table, entity: object, values: unknown[]): string {
  return table.primaryKeys.map((c) => `${quote(c.name)} = $${values.push(boundValue(em, c, entity))}`).join(' and ');
}
