import { DomainError } from '@app/domain';
import { crmOrderBy, parseCrmListQuery, parseFields, parseSort, readCreateQuery } from './crm-list-query';

function message(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return `${err.reason ?? '-'} ${err.message}`;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parseCrmListQuery', () => {
  it('defaults: no condition, created order, all fields, 100 per page from the start', () => {
    expect(parseCrmListQuery({})).toEqual({ where: [], sort: [], fields: undefined, limit: 100, offset: 0 });
  });

  it('pages: 1-based page of limit entitlements; limit=0 counts only', () => {
    expect(parseCrmListQuery({ limit: '25', page: '3' })).toMatchObject({ limit: 25, offset: 50 });
    expect(parseCrmListQuery({ limit: '0' })).toMatchObject({ limit: 0, offset: 0 });
    expect(parseCrmListQuery({ limit: '1000', page: '1' })).toMatchObject({ limit: 1000, offset: 0 });
  });

  it.each([
    [{ page: '1' }, 'INVALID_QUERY page: needs limit (the page size)'],
    [{ limit: '1001' }, 'INVALID_QUERY limit: must be an integer from 0 to 1000'],
    [{ limit: '1e2' }, 'INVALID_QUERY limit: must be an integer from 0 to 1000'],
    [{ limit: ' 5' }, 'INVALID_QUERY limit: must be an integer from 0 to 1000'],
    [{ limit: '5', page: '0' }, 'INVALID_QUERY page: must be an integer from 1 to 1000000'],
    [{ limit: ['1', '2'] }, 'INVALID_QUERY limit: must be given once'],
    [{ offset: '10' }, 'INVALID_QUERY offset: unknown query parameter (allowed: filter, limit, page, sort, fields)'],
  ])('refuses %j', (query, expected) => {
    expect(message(() => parseCrmListQuery(query))).toBe(expected);
  });
});

describe('parseSort', () => {
  it('keeps the keys in order', () => {
    expect(parseSort('{"accountId": 1, "expiryDate": -1}')).toEqual([
      { field: 'accountId', direction: 1 },
      { field: 'expiryDate', direction: -1 },
    ]);
    expect(parseSort(undefined)).toEqual([]);
    expect(parseSort('{}')).toEqual([]);
  });

  it.each([
    [
      '{"created_at desc; drop table entitlement": 1}',
      /^INVALID_QUERY sort\.created_at desc; drop table entitlement: unknown field/,
    ],
    ['{"constructor": 1}', /^INVALID_QUERY sort\.constructor: unknown field/],
    ['{"expiryDate": 0}', 'INVALID_QUERY sort.expiryDate: must be 1 (ascending) or -1 (descending)'],
    ['{"expiryDate": "-1"}', 'INVALID_QUERY sort.expiryDate: must be 1 (ascending) or -1 (descending)'],
    ['[["expiryDate", 1]]', /^INVALID_QUERY sort: must be a JSON object/],
    ['expiryDate:1', /^INVALID_QUERY sort: is not valid JSON/],
  ])('refuses %s', (text, expected) => {
    expect(message(() => parseSort(text))).toMatch(expected);
  });
});

describe('parseFields', () => {
  it('reads a comma-separated list or a JSON array, always with _id', () => {
    expect(parseFields('productId, status,,')).toEqual(['_id', 'productId', 'status']);
    expect(parseFields('["expiryDate","_id"]')).toEqual(['_id', 'expiryDate']);
    expect(parseFields(undefined)).toBeUndefined();
    expect(parseFields('')).toBeUndefined();
  });

  it('refuses unknown names', () => {
    expect(message(() => parseFields('productId,password'))).toMatch(/^INVALID_QUERY fields\.password: unknown field/);
    expect(message(() => parseFields('{"productId":1}'))).toMatch(
      /^INVALID_QUERY fields\.\{"productId":1\}: unknown field/,
    );
    expect(message(() => parseFields('[1]'))).toBe('INVALID_QUERY fields[0]: must be a field name (got number)');
  });
});

// The SQL of these keys (absent values first ascending, last descending, validFrom's fallback, the _id
// tie-breaker) is the store's: libs/database/src/conditions.spec.ts and test/database/entitlement-list.spec.ts.
describe('crmOrderBy', () => {
  it('defaults to created (the store then breaks ties by _id)', () => {
    expect(crmOrderBy([])).toEqual([{ field: 'createdAt', direction: 'asc' }]);
  });

  it('maps the keys to the fields they show, in order', () => {
    expect(
      crmOrderBy([
        { field: 'expiryDate', direction: -1 },
        { field: 'accountId', direction: 1 },
      ]),
    ).toEqual([
      { field: 'validUntil', direction: 'desc' },
      { field: 'subjectId', direction: 'asc' },
    ]);
    expect(crmOrderBy([{ field: 'deviceId', direction: 1 }])).toEqual([{ field: 'deviceId', direction: 'asc' }]);
    expect(crmOrderBy([{ field: '_id', direction: -1 }])).toEqual([{ field: 'id', direction: 'desc' }]);
  });

  it("sorts validFrom by what is shown: the store's validFrom", () => {
    expect(crmOrderBy([{ field: 'validFrom', direction: 1 }])).toEqual([{ field: 'validFrom', direction: 'asc' }]);
  });
});

describe('readCreateQuery', () => {
  it('reads prohibitDuplicateProductPurchase, default false', () => {
    expect(readCreateQuery({})).toEqual({ prohibitDuplicatePurchase: false });
    expect(readCreateQuery({ prohibitDuplicateProductPurchase: 'true' })).toEqual({ prohibitDuplicatePurchase: true });
    expect(readCreateQuery({ prohibitDuplicateProductPurchase: 'false' })).toEqual({
      prohibitDuplicatePurchase: false,
    });
  });

  it('refuses other values and other parameters (errorCode 4000, not a list-query error)', () => {
    expect(message(() => readCreateQuery({ prohibitDuplicateProductPurchase: 'TRUE' }))).toBe(
      '- prohibitDuplicateProductPurchase: must be true or false',
    );
    expect(message(() => readCreateQuery({ prohibitDuplicate: 'true' }))).toBe(
      '- prohibitDuplicate: unknown query parameter (allowed: prohibitDuplicateProductPurchase)',
    );
  });
});
