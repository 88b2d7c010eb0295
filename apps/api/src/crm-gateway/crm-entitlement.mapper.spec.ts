import { DomainError, Entitlement, EntitlementOrigin, EntitlementStatus, ProductType, ValidityType } from '@app/domain';
import { checkCrmRules, crmUpdate, projectFields, toCrmEntitlementDto } from './crm-entitlement.mapper';
import { CrmEntitlementStatus } from './dto/crm-entitlement.response';

const d = (s: string) => new Date(s);

function motto(over: Partial<Entitlement> = {}): Entitlement {
  return new Entitlement({
    id: 'm-1',
    projectId: 'demo',
    subjectId: 'user-1',
    productId: 'offer-1',
    status: EntitlementStatus.Active,
    origin: EntitlementOrigin.Motto,
    sourceType: 'stripe',
    createdAt: d('2024-05-01T00:00:00Z'),
    updatedAt: d('2024-05-02T00:00:00Z'),
    ...over,
  });
}

describe('toCrmEntitlementDto', () => {
  it('shows a Motto-created entitlement: validFrom = created, no expiryDate, no CRM-only fields', () => {
    expect(toCrmEntitlementDto(motto())).toEqual({
      _id: 'm-1',
      productId: 'offer-1',
      accountId: 'user-1',
      validFrom: '2024-05-01T00:00:00.000Z',
      status: CrmEntitlementStatus.Subscribed,
      created: '2024-05-01T00:00:00.000Z',
      modified: '2024-05-02T00:00:00.000Z',
    });
  });

  it('omits null values as it omits undefined ones (rows read back from the database)', () => {
    const e = motto({ status: EntitlementStatus.Revoked, validUntil: d('2024-07-01T00:00:00Z') });
    Object.assign(e, { deviceId: null, isFreemium: null, firstView: null });
    const dto = toCrmEntitlementDto(e);
    expect(dto).toMatchObject({ status: 'UNSUBSCRIBED', expiryDate: '2024-07-01T00:00:00.000Z' });
    expect(dto).not.toHaveProperty('deviceId');
    expect(dto).not.toHaveProperty('isFreemium');
    expect(dto).not.toHaveProperty('firstView');
    expect(projectFields(dto, ['_id', 'deviceId', 'status'])).toEqual({ _id: 'm-1', status: 'UNSUBSCRIBED' });
  });
});

describe('crmUpdate and checkCrmRules', () => {
  const crm = () =>
    new Entitlement({
      id: 'c-1',
      projectId: 'demo',
      subjectId: 'acc',
      productId: 'p',
      status: EntitlementStatus.Active,
      origin: EntitlementOrigin.Crm,
      validityType: ValidityType.Absolute,
      productType: ProductType.Subscription,
      validFrom: d('2024-01-01T00:00:00Z'),
      validUntil: d('2025-01-01T00:00:00Z'),
    });

  it('applies only the fields given; null clears', () => {
    const e = crm();
    e.deviceId = 'stb-1';
    crmUpdate({ status: CrmEntitlementStatus.Unsubscribed, deviceId: null, expiryDate: '2024-06-01T00:00:00+02:00' })(
      e,
    );
    expect(e).toMatchObject({
      status: EntitlementStatus.Revoked,
      deviceId: null,
      validUntil: d('2024-05-31T22:00:00Z'),
      productType: ProductType.Subscription,
    });
  });

  it('refuses an empty change before touching anything', () => {
    expect(() => crmUpdate({})).toThrow('body: must name at least one field to change');
  });

  it('checks only the rules a change touches', () => {
    // A Motto entitlement revoked by an expiration before its creation: changing its device is still fine.
    const old = motto({ validUntil: d('2024-04-01T00:00:00Z') });
    expect(() => checkCrmRules(old, new Set(['deviceId']))).not.toThrow();
    expect(() => checkCrmRules(old, new Set(['expiryDate']))).toThrow(DomainError);
  });

  it('reports every broken rule at once', () => {
    const e = crm();
    Object.assign(e, {
      validFrom: d('2026-01-01T00:00:00Z'),
      capabilityType: 'HD',
      firstView: d('2024-02-01T00:00:00Z'),
    });
    const all = new Set(['validFrom', 'capabilityType', 'firstView']);
    try {
      checkCrmRules(e, all);
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as DomainError).violations.map((v) => v.field)).toEqual(['validFrom', 'capabilityType', 'firstView']);
    }
  });
});
