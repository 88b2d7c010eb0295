import { RequestDeadlineExceeded, unavailableReason } from './unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('unavailableReason', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['shutting down', withCode('the database system is shutting down', '57P03')],
    ['a connection exception class', withCode('connection failure', '08006')],
    ['statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    [
      'pool acquire timeout (knex)',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
    ],
    [
      'query timeout behind the statement knex prefixes',
      new Error('select "p0".* from "project" as "p0" - Query read timeout'),
    ],
    [
      'a connection lost mid-transaction',
      new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'),
    ],
    ['the request deadline', new RequestDeadlineExceeded(3000)],
    ['a wrapped cause', new Error('outer', { cause: withCode('x', 'ECONNREFUSED') })],
  ])('recognises %s', (_what, error) => {
    expect(unavailableReason(error)).toBeDefined();
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint "entitlement_pkey"', '23505')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'boom'],
    ['undefined', undefined],
  ])('leaves %s alone (a 500)', (_what, error) => {
    expect(unavailableReason(error)).toBeUndefined();
  });
});
