import { Condition, FieldMapping, propertyOf, sqlOrderByOf, sqlWhereOf, whereOf } from './conditions';
import { EntitlementSchema } from './schema/entitlement.schema';

const FIELDS: Record<'name' | 'device' | 'shown', FieldMapping> = {
  name: { property: 'subjectId', nullable: false },
  device: { property: 'deviceId', nullable: true },
  shown: { sql: (a) => `coalesce(${a}."valid_from", ${a}."created_at")`, nullable: false },
};
const where = (...conditions: Condition<keyof typeof FIELDS>[]) => whereOf(conditions, FIELDS);
const at = new Date('2024-01-01T00:00:00Z');

describe('whereOf', () => {
  it('keeps the filters of the Motto lists: eq, in and the ordering operators on values', () => {
    expect(
      where(
        { field: 'name', op: 'eq', values: ['acc-1'] },
        { field: 'name', op: 'in', values: ['a', 'b'] },
        { field: 'device', op: 'lt', values: ['x'] },
        { field: 'device', op: 'lte', values: ['x'] },
        { field: 'name', op: 'gt', values: ['x'] },
        { field: 'name', op: 'gte', values: [true] },
      ),
    ).toEqual([
      { subjectId: { $eq: 'acc-1' } },
      { subjectId: { $in: ['a', 'b'] } },
      { deviceId: { $lt: 'x' } },
      { deviceId: { $lte: 'x' } },
      { subjectId: { $gt: 'x' } },
      { subjectId: { $gte: true } },
    ]);
  });

  it('filters a computed field on its expression (a fixed fragment, the value bound)', () => {
    const [filter] = where({ field: 'shown', op: 'lt', values: [at] });
    const [key] = Object.keys(filter);
    expect(key).toMatch(/coalesce\(.*"valid_from".*"created_at"\)/);
    expect(filter[key]).toEqual({ $lt: at });
  });

  it('reads null as "absent", and ne as MongoDB does (absent values match)', () => {
    expect(where({ field: 'device', op: 'eq', values: [null] })).toEqual([{ deviceId: null }]);
    expect(where({ field: 'device', op: 'ne', values: [null] })).toEqual([{ deviceId: { $ne: null } }]);
    expect(where({ field: 'device', op: 'ne', values: ['stb-1'] })).toEqual([
      { $or: [{ deviceId: { $ne: 'stb-1' } }, { deviceId: null }] },
    ]);
    expect(where({ field: 'device', op: 'in', values: ['stb-1', null] })).toEqual([
      { $or: [{ deviceId: { $in: ['stb-1'] } }, { deviceId: null }] },
    ]);
    expect(where({ field: 'device', op: 'in', values: [null] })).toEqual([{ deviceId: null }]);
    // Fields that are always present: ne is plain.
    expect(where({ field: 'name', op: 'ne', values: ['a'] })).toEqual([{ subjectId: { $ne: 'a' } }]);
    const [shown] = where({ field: 'shown', op: 'ne', values: [at] });
    expect(Object.values(shown)).toEqual([{ $ne: at }]);
  });

  it('refuses what no caller may ask: null with an ordering operator, an unknown field', () => {
    expect(() => where({ field: 'device', op: 'gt', values: [null] })).toThrow(
      'condition on "device": null cannot be used with gt',
    );
    const unmapped = { field: 'constructor', op: 'eq', values: ['x'] } as unknown as Condition<keyof typeof FIELDS>;
    expect(() => where(unmapped)).toThrow('no condition field "constructor" in this store');
  });
});

describe('propertyOf', () => {
  it('reads whether a property can be absent from the schema', () => {
    expect(propertyOf(EntitlementSchema, 'deviceId')).toEqual({ property: 'deviceId', nullable: true });
    expect(propertyOf(EntitlementSchema, 'subjectId')).toEqual({ property: 'subjectId', nullable: false });
  });
});

describe('sqlWhereOf / sqlOrderByOf (the lists read through the driver)', () => {
  const column = (property: string) => property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const sql = (...conditions: Condition<keyof typeof FIELDS>[]) => {
    const params: unknown[] = ['project'];
    return { where: sqlWhereOf(conditions, FIELDS, 'e', column, params), params };
  };

  it('binds every value, numbering after the parameters already there', () => {
    expect(
      sql(
        { field: 'name', op: 'eq', values: ['acc-1'] },
        { field: 'name', op: 'in', values: ['a', 'b'] },
        { field: 'device', op: 'lt', values: ["x'; drop table entitlement; --"] },
        { field: 'shown', op: 'gte', values: [at] },
      ),
    ).toEqual({
      where: [
        'e."subject_id" = $2',
        'e."subject_id" in ($3, $4)',
        'e."device_id" < $5',
        'coalesce(e."valid_from", e."created_at") >= $6',
      ],
      params: ['project', 'acc-1', 'a', 'b', "x'; drop table entitlement; --", at],
    });
  });

  it('reads null as "absent", and ne as MongoDB does (absent values match)', () => {
    expect(sql({ field: 'device', op: 'eq', values: [null] }).where).toEqual(['e."device_id" is null']);
    expect(sql({ field: 'device', op: 'ne', values: [null] }).where).toEqual(['e."device_id" is not null']);
    expect(sql({ field: 'device', op: 'ne', values: ['stb-1'] }).where).toEqual([
      '(e."device_id" <> $2 or e."device_id" is null)',
    ]);
    expect(sql({ field: 'name', op: 'ne', values: ['a'] }).where).toEqual(['e."subject_id" <> $2']);
    expect(sql({ field: 'device', op: 'in', values: ['stb-1', null] }).where).toEqual([
      '(e."device_id" in ($2) or e."device_id" is null)',
    ]);
    expect(sql({ field: 'device', op: 'in', values: [null] }).where).toEqual(['e."device_id" is null']);
    expect(sql({ field: 'device', op: 'in', values: [] }).where).toEqual(['false']);
  });

  it('refuses null with an ordering operator, and sorts absent values below every value', () => {
    expect(() => sql({ field: 'device', op: 'gt', values: [null] })).toThrow(
      'condition on "device": null cannot be used with gt',
    );
    expect(
      sqlOrderByOf(
        [
          { field: 'device', direction: 'asc' },
          { field: 'device', direction: 'desc' },
          { field: 'name', direction: 'desc' },
        ],
        FIELDS,
        'e',
        column,
      ),
    ).toEqual(['e."device_id" asc nulls first', 'e."device_id" desc nulls last', 'e."subject_id" desc']);
    expect(sqlOrderByOf([{ field: 'shown', direction: 'asc' }], FIELDS, 'e', column)).toEqual([
      'coalesce(e."valid_from", e."created_at") asc',
    ]);
  });
});
