import { DomainError, DomainErrorCode } from '@app/domain';
import { CRM_FIELDS } from './crm-entitlement.mapper';
import { FilterCatalog, INVALID_QUERY, parseMongoFilter, translateMongoFilter } from './mongo-filter';

const parse = (filter: unknown) => parseMongoFilter(JSON.stringify(filter), CRM_FIELDS);

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parseMongoFilter', () => {
  it('reads an absent or blank filter as no condition', () => {
    expect(parseMongoFilter(undefined, CRM_FIELDS)).toEqual([]);
    expect(parseMongoFilter('  ', CRM_FIELDS)).toEqual([]);
    expect(parse({})).toEqual([]);
  });

  it('maps wire fields to the entitlement fields, one AND-ed condition per operator', () => {
    expect(parse({ accountId: 'acc-1', productId: { $eq: 'p' }, _id: { $in: ['a', 'b'] } })).toEqual([
      { field: 'subjectId', op: 'eq', values: ['acc-1'] },
      { field: 'productId', op: 'eq', values: ['p'] },
      { field: 'id', op: 'in', values: ['a', 'b'] },
    ]);
  });

  it('turns dates into Date values (any offset), several operators on one field', () => {
    expect(parse({ expiryDate: { $gte: '2024-01-01T01:00:00+01:00', $lt: '2025-01-01T00:00:00Z' } })).toEqual([
      { field: 'validUntil', op: 'gte', values: [new Date('2024-01-01T00:00:00Z')] },
      { field: 'validUntil', op: 'lt', values: [new Date('2025-01-01T00:00:00Z')] },
    ]);
    expect(parse({ created: { $gt: '2024-01-01T00:00:00.5Z' } })).toEqual([
      { field: 'createdAt', op: 'gt', values: [new Date('2024-01-01T00:00:00.500Z')] },
    ]);
  });

  it('maps the wire status values to the stored ones', () => {
    expect(parse({ status: 'SUBSCRIBED' })).toEqual([{ field: 'status', op: 'eq', values: ['ACTIVE'] }]);
    expect(parse({ status: { $in: ['UNSUBSCRIBED'] } })).toEqual([{ field: 'status', op: 'in', values: ['REVOKED'] }]);
    expect(parse({ status: { $ne: 'UNSUBSCRIBED' } })).toEqual([{ field: 'status', op: 'ne', values: ['REVOKED'] }]);
  });

  it("filters validFrom on what is shown: the store's validFrom (the creation time where it is absent)", () => {
    const at = new Date('2024-01-01T00:00:00Z');
    expect(parse({ validFrom: { $lt: '2024-01-01T00:00:00Z' } })).toEqual([
      { field: 'validFrom', op: 'lt', values: [at] },
    ]);
  });

  // What null and $ne match (absent values, as MongoDB) is the store's: conditions.spec.ts, entitlement-list.spec.ts.
  it('reads null as "absent", with $eq, $ne and inside $in', () => {
    expect(parse({ deviceId: null })).toEqual([{ field: 'deviceId', op: 'eq', values: [null] }]);
    expect(parse({ deviceId: { $eq: null } })).toEqual([{ field: 'deviceId', op: 'eq', values: [null] }]);
    expect(parse({ deviceId: { $ne: null } })).toEqual([{ field: 'deviceId', op: 'ne', values: [null] }]);
    expect(parse({ deviceId: { $ne: 'stb-1' } })).toEqual([{ field: 'deviceId', op: 'ne', values: ['stb-1'] }]);
    expect(parse({ deviceId: { $in: ['stb-1', null] } })).toEqual([
      { field: 'deviceId', op: 'in', values: ['stb-1', null] },
    ]);
    expect(parse({ deviceId: { $in: [null] } })).toEqual([{ field: 'deviceId', op: 'in', values: [null] }]);
    expect(parse({ accountId: { $ne: 'a' } })).toEqual([{ field: 'subjectId', op: 'ne', values: ['a'] }]);
  });

  it('keeps values as values: SQL in a value is just a string to compare', () => {
    expect(parse({ productId: { $eq: "x'; drop table entitlement; --" } })).toEqual([
      { field: 'productId', op: 'eq', values: ["x'; drop table entitlement; --"] },
    ]);
  });

  it('never takes a field from the prototype chain', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const err = refusal(() => parseMongoFilter(`{"${name}": "x"}`, CRM_FIELDS));
      expect(err.message).toMatch(new RegExp(`^filter\\.${name}: unknown field`));
    }
  });

  it.each([
    ['{', /^filter: is not valid JSON/],
    ['[]', 'filter: must be a JSON object (got array)'],
    ['null', 'filter: must be a JSON object (got null)'],
    ['3', 'filter: must be a JSON object (got number)'],
    [
      '{"$where": "1=1"}',
      'filter.$where: top-level operators are not supported: conditions on several fields are combined with AND',
    ],
    ['{"$and": []}', /^filter\.\$and: top-level operators/],
    ['{"nope": 1}', /^filter\.nope: unknown field \(known: _id, productId, accountId, userId, deviceId/],
    ['{"productId": {"$regex": "a"}}', /^filter\.productId\.\$regex: unknown operator/],
    ['{"productId": {"$eq": "a", "x": 1}}', /^filter\.productId\.x: unknown operator/],
    ['{"productId": {}}', /^filter\.productId: must be a value or an object of operators/],
    ['{"productId": 1}', 'filter.productId: must be a string (got number)'],
    ['{"productId": true}', 'filter.productId: must be a string (got boolean)'],
    ['{"productId": null}', 'filter.productId: cannot be null: the field is always present'],
    ['{"validFrom": null}', 'filter.validFrom: cannot be null: the field is always present'],
    ['{"deviceId": {"$gt": null}}', 'filter.deviceId.$gt: null can only be used with $eq, $ne or $in'],
    ['{"isFreemium": 0}', 'filter.isFreemium: must be true or false (got number)'],
    [
      '{"isFreemium": {"$lte": true}}',
      'filter.isFreemium.$lte: does not apply to a boolean field (use $eq, $ne or $in)',
    ],
    ['{"status": "ACTIVE"}', 'filter.status: must be one of SUBSCRIBED, UNSUBSCRIBED'],
    [
      '{"status": {"$gte": "SUBSCRIBED"}}',
      'filter.status.$gte: does not apply to an enumerated field (use $eq, $ne or $in)',
    ],
    ['{"firstView": "2024-01-01"}', /^filter\.firstView: must include a zone/],
    ['{"firstView": "2024-04-31T00:00:00Z"}', /^filter\.firstView: is not a valid date-time/],
    ['{"productId": {"$in": "a"}}', 'filter.productId.$in: must be an array (got string)'],
    ['{"productId": {"$in": []}}', 'filter.productId.$in: must list 1 to 500 values'],
    ['{"productId": {"$in": [{"$gt": ""}]}}', 'filter.productId.$in[0]: must be a string (got object)'],
    ['{"validityType": "' + 'x'.repeat(17) + '"}', 'filter.validityType: must be at most 16 characters'],
  ])('refuses %s: %s', (text, message) => {
    const err = refusal(() => parseMongoFilter(text, CRM_FIELDS));
    expect(err.code).toBe(DomainErrorCode.InvalidArgument);
    expect(err.reason).toBe(INVALID_QUERY);
    expect(err.message).toMatch(message);
    expect(err.violations[0].field).toBe(err.message.slice(0, err.message.indexOf(': ')));
  });

  it('bounds the size: characters, conditions, $in values', () => {
    expect(
      refusal(() => parseMongoFilter(' '.repeat(8000) + '{"x":' + '1'.repeat(200) + '}', CRM_FIELDS)).message,
    ).toBe('filter: must be at most 8192 characters');
    const ops = { $ne: 'x', $gt: 'a', $gte: 'a', $lt: 'z', $lte: 'z' };
    const many = Object.fromEntries(
      [
        '_id',
        'productId',
        'accountId',
        'userId',
        'deviceId',
        'purchasedByDeviceId',
        'validityType',
        'productType',
        'capabilityType',
        'expiryDate',
        'firstView',
      ].map((f) => [
        f,
        f.endsWith('Date') || f === 'firstView'
          ? {
              $gt: '2024-01-01T00:00:00Z',
              $gte: '2024-01-01T00:00:00Z',
              $lt: '2024-01-01T00:00:00Z',
              $lte: '2024-01-01T00:00:00Z',
              $ne: '2024-01-01T00:00:00Z',
            }
          : ops,
      ]),
    );
    expect(refusal(() => parse(many)).message).toBe('filter: has more than 50 conditions');
    expect(refusal(() => parse({ productId: { $in: Array.from({ length: 501 }, (_, i) => `p${i}`) } })).message).toBe(
      'filter.productId.$in: must list 1 to 500 values',
    );
  });

  it('works over any catalog, naming the parameter it reads', () => {
    const catalog: FilterCatalog = new Map([
      ['name', { field: 'title', type: 'string', nullable: false, maxLength: 10 }],
    ]);
    expect(translateMongoFilter({ name: 'a' }, catalog, 'q')).toEqual([{ field: 'title', op: 'eq', values: ['a'] }]);
    expect(refusal(() => translateMongoFilter({ other: 'a' }, catalog, 'q')).message).toBe(
      'q.other: unknown field (known: name)',
    );
  });
});
