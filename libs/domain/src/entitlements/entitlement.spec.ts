import { Entitlement, EntitlementOrigin, EntitlementStatus, ValidityType } from './entitlement';
import { ValidityWindow } from './validity-window';

const d = (s: string) => new Date(s);

function entitlement(over: Partial<Entitlement> = {}): Entitlement {
  return new Entitlement({
    id: 'e1',
    projectId: 'p',
    subjectId: 'u',
    productId: 'o',
    status: EntitlementStatus.Active,
    origin: EntitlementOrigin.Crm,
    ...over,
  });
}

describe('ValidityWindow.overlaps', () => {
  it.each([
    [{ from: d('2024-01-01'), until: d('2024-02-01') }, { from: d('2024-01-15'), until: d('2024-03-01') }, true],
    [{ from: d('2024-01-01'), until: d('2024-02-01') }, { from: d('2024-02-01'), until: d('2024-03-01') }, false],
    [{ from: d('2024-02-01'), until: d('2024-03-01') }, { from: d('2024-01-01'), until: d('2024-02-01') }, false],
    [{}, { from: d('2024-01-01'), until: d('2024-02-01') }, true],
    [{ until: d('2024-01-01') }, { from: d('2024-01-01') }, false],
    [{ from: d('2024-01-01') }, { until: d('2024-01-02') }, true],
    [{ from: d('2024-01-01'), until: d('2025-01-01') }, { from: d('2024-05-01'), until: d('2024-06-01') }, true],
  ])('%j and %j overlap: %s', (a, b, expected) => {
    expect(new ValidityWindow(a).overlaps(new ValidityWindow(b))).toBe(expected);
    expect(new ValidityWindow(b).overlaps(new ValidityWindow(a))).toBe(expected);
  });
});

describe('ValidityWindow.contains', () => {
  it('includes the start and excludes the end', () => {
    const w = new ValidityWindow({ from: d('2024-01-01T00:00:00Z'), until: d('2024-02-01T00:00:00Z') });
    expect(w.contains(d('2024-01-01T00:00:00Z'))).toBe(true);
    expect(w.contains(d('2024-02-01T00:00:00Z'))).toBe(false);
    expect(new ValidityWindow({}).contains(d('1990-01-01'))).toBe(true);
  });
});

describe('Entitlement.isEntitledAt', () => {
  it('needs the active status and the window', () => {
    const over = { validFrom: d('2024-01-01'), validUntil: d('2024-12-31') };
    const e = entitlement(over);
    expect(e.isEntitledAt(d('2024-06-01'))).toBe(true);
    expect(e.isEntitledAt(d('2025-06-01'))).toBe(false);
    expect(entitlement({ ...over, status: EntitlementStatus.Revoked }).isEntitledAt(d('2024-06-01'))).toBe(false);
  });

  it('ends a RELATIVE rental at first view plus the rental duration', () => {
    const over = {
      validityType: ValidityType.Relative,
      validFrom: d('2024-01-01'),
      validUntil: d('2024-12-31'),
      firstView: d('2024-03-01T10:00:00Z'),
    };
    const e = entitlement(over);
    const twoDays = (first: Date) => new Date(first.getTime() + 2 * 86_400_000);
    expect(e.accessWindow(twoDays).until).toEqual(d('2024-03-03T10:00:00Z'));
    expect(e.isEntitledAt(d('2024-03-02T10:00:00Z'), { rentalEnd: twoDays })).toBe(true);
    expect(e.isEntitledAt(d('2024-03-04T10:00:00Z'), { rentalEnd: twoDays })).toBe(false);
    // Not yet viewed: the whole consumption window.
    expect(entitlement({ ...over, firstView: undefined }).isEntitledAt(d('2024-11-01'), { rentalEnd: twoDays })).toBe(
      true,
    );
    // Without a known rental duration: validFrom to validUntil.
    expect(e.isEntitledAt(d('2024-11-01'))).toBe(true);
  });

  it('applies the device rule when a device is given', () => {
    const e = entitlement({ deviceId: 'stb-1' });
    expect(e.isEntitledAt(d('2024-06-01'), { device: { deviceId: 'stb-1', deviceSpecificProducts: true } })).toBe(true);
    expect(e.isEntitledAt(d('2024-06-01'), { device: { deviceId: 'stb-2', deviceSpecificProducts: true } })).toBe(
      false,
    );
  });
});

describe('Entitlement.appliesToDevice', () => {
  it('restricts to the device only when device-specific products are on', () => {
    const e = entitlement({ deviceId: 'stb-1' });
    expect(e.appliesToDevice('stb-1', true)).toBe(true);
    expect(e.appliesToDevice('stb-2', true)).toBe(false);
    expect(e.appliesToDevice('stb-2', false)).toBe(true);
    expect(entitlement().appliesToDevice('stb-2', true)).toBe(true);
  });
});

describe('Entitlement.revoke and restore', () => {
  it('keep the revocation time in step with the status', () => {
    const e = entitlement();
    e.revoke(d('2024-05-01'));
    expect([e.status, e.revokedAt]).toEqual([EntitlementStatus.Revoked, d('2024-05-01')]);
    e.revoke(d('2024-06-01'));
    expect(e.revokedAt).toEqual(d('2024-05-01'));
    e.restore();
    expect([e.status, e.revokedAt]).toEqual([EntitlementStatus.Active, undefined]);
  });
});

describe('Entitlement.forMotto and applyMottoTerms', () => {
  const key = { projectId: 'p', subjectId: 'u', productId: 'o' };
  const now = d('2024-05-01T00:00:00Z');

  it('creates an active entitlement, or a revoked one when the expiration is not after now', () => {
    const e = Entitlement.forMotto(key, { validUntil: d('2024-06-01'), sourceId: 's' }, now, 'id-1');
    expect([e.id, e.status, e.revokedAt, e.createdAt, e.updatedAt, e.sourceId]).toEqual([
      'id-1',
      EntitlementStatus.Active,
      undefined,
      now,
      now,
      's',
    ]);
    expect(e.origin).toBe(EntitlementOrigin.Motto);
    const past = Entitlement.forMotto(key, { validUntil: now }, now);
    expect([past.status, past.revokedAt]).toEqual([EntitlementStatus.Revoked, now]);
  });

  it('resets what the upsert leaves out, and revokes or restores', () => {
    const e = Entitlement.forMotto(key, { validUntil: d('2024-06-01'), sourceId: 's', concurrencyLimit: '2' }, now);
    e.applyMottoTerms({ validUntil: d('2024-04-01') }, now);
    expect([e.status, e.revokedAt, e.sourceId, e.concurrencyLimit]).toEqual([
      EntitlementStatus.Revoked,
      now,
      undefined,
      undefined,
    ]);
    e.applyMottoTerms({}, d('2024-05-02'));
    expect([e.status, e.revokedAt, e.validUntil]).toEqual([EntitlementStatus.Active, undefined, undefined]);
  });
});

describe('Entitlement.expiration', () => {
  it.each([
    ['active: validUntil', {}, d('2024-06-01')],
    ['active, never expires', { validUntil: undefined }, undefined],
    [
      'revoked before validUntil: the revocation',
      { status: EntitlementStatus.Revoked, revokedAt: d('2024-05-01') },
      d('2024-05-01'),
    ],
    [
      'revoked after validUntil: validUntil',
      { status: EntitlementStatus.Revoked, revokedAt: d('2024-07-01') },
      d('2024-06-01'),
    ],
    ['revoked at validUntil', { status: EntitlementStatus.Revoked, revokedAt: d('2024-06-01') }, d('2024-06-01')],
    [
      'revoked, no end',
      { status: EntitlementStatus.Revoked, revokedAt: d('2024-05-01'), validUntil: undefined },
      d('2024-05-01'),
    ],
    [
      'revoked, no time known: the last update',
      { status: EntitlementStatus.Revoked, validUntil: undefined, updatedAt: d('2024-03-01') },
      d('2024-03-01'),
    ],
  ])('%s', (_, over, expected) => {
    expect(entitlement({ validUntil: d('2024-06-01'), ...over }).expiration()).toEqual(expected);
  });
});
