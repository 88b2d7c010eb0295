import { loggableError, redactSqlValues } from './redact-sql';

describe('redactSqlValues', () => {
  it('keeps the statement and drops bound values (strings, numbers, detail)', () => {
    const message =
      `insert into "entitlement" ("id", "subject_id", "product_id", "priority") values ('ent-1', 'account-42', 'prod-''x''', 12) ` +
      `returning "id" - duplicate key value violates unique constraint "entitlement_pkey"\n - detail: Key (id)=(ent-1) already exists.`;
    const redacted = redactSqlValues(message);
    expect(redacted).toBe(
      `insert into "entitlement" ("id", "subject_id", "product_id", "priority") values (?, ?, ?, ?) ` +
        `returning "id" - duplicate key value violates unique constraint "entitlement_pkey"\n - detail: (redacted)`,
    );
    expect(redacted).not.toMatch(/account-42|ent-1\b|prod-/);
  });

  it('leaves identifiers with digits and $n placeholders alone', () => {
    expect(redactSqlValues('select "offer_2".id from t2 where a = $1 limit 50')).toBe(
      'select "offer_2".id from t2 where a = $1 limit ?',
    );
  });

  it('redacts the stack of an error', () => {
    const err = new Error(`select * from entitlement where subject_id = 'user-7' - boom`);
    const logged = loggableError(err);
    expect(logged).toMatch(/^Error: select \* from entitlement where subject_id = \? - boom\n\s+at /);
    expect(logged).not.toContain('user-7');
    expect(logged).toMatch(/redact-sql\.spec\.ts:\d+:\d+/); // frames keep their line numbers
  });
});
