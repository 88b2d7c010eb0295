import { Entitlement, EntitlementOrigin, EntitlementStatus, ValidityType } from './entitlement';
import { accessWindow, appliesToDevice, isEntitledAt, windowsOverlap, withinWindow } from './entitlement-rules';

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

describe('windowsOverlap', () => {
  it.each([
    [{ from: d('2024-01-01'), until: d('2024-02-01') }, { from: d('2024-01-15'), until: d('2024-03-01') }, true],
    [{ from: d('2024-01-01'), until: d('2024-02-01') }, { from: d('2024-02-01'), until: d('2024-03-01') }, false],
    [{ from: d('2024-02-01'), until: d('2024-03-01') }, { from: d('2024-01-01'), until: d('2024-02-01') }, false],
    [{}, { from: d('2024-01-01'), until: d('2024-02-01') }, true],
    [{ until: d('2024-01-01') }, { from: d('2024-01-01') }, false],
    [{ from: d('2024-01-01') }, { until: d('2024-01-02') }, true],
    [{ from: d('2024-01-01'), until: d('2025-01-01') }, { from: d('2024-05-01'), until: d('2024-06-01') }, true],
  ])('%j and %j overlap: %s', (a, b, expected) => {
    expect(windowsOverlap(a, b)).toBe(expected);
    expect(windowsOverlap(b, a)).toBe(expected);
  });
});

describe('withinWindow', () => {
  it('includes the start and excludes the end', () => {
    const w = { from: d('2024-01-01T00:00:00Z'), until: d('2024-02-01T00:00:00Z') };
    expect(withinWindow(w, d('2024-01-01T00:00:00Z'))).toBe(true);
    expect(withinWindow(w, d('2024-02-01T00:00:00Z'))).toBe(false);
    expect(withinWindow({}, d('1990-01-01'))).toBe(true);
  });
});

describe('isEntitledAt', () => {
  it('needs the active status and the window', () => {
    const e = entitlement({ validFrom: d('2024-01-01'), validUntil: d('2024-12-31') });
    expect(isEntitledAt(e, d('2024-06-01'))).toBe(true);
    expect(isEntitledAt(e, d('2025-06-01'))).toBe(false);
    expect(isEntitledAt({ ...e, status: EntitlementStatus.Revoked }, d('2024-06-01'))).toBe(false);
  });

  it('ends a RELATIVE rental at first view plus the rental duration', () => {
    const e = entitlement({ validityType: ValidityType.Relative, validFrom: d('2024-01-01'), validUntil: d('2024-12-31'), firstView: d('2024-03-01T10:00:00Z') });
    const twoDays = (first: Date) => new Date(first.getTime() + 2 * 86_400_000);
    expect(accessWindow(e, twoDays).until).toEqual(d('2024-03-03T10:00:00Z'));
    expect(isEntitledAt(e, d('2024-03-02T10:00:00Z'), twoDays)).toBe(true);
    expect(isEntitledAt(e, d('2024-03-04T10:00:00Z'), twoDays)).toBe(false);
    // Not yet viewed: the whole consumption window.
    expect(isEntitledAt({ ...e, firstView: undefined }, d('2024-11-01'), twoDays)).toBe(true);
    // Without a known rental duration: validFrom to validUntil.
    expect(isEntitledAt(e, d('2024-11-01'))).toBe(true);
  });
});

describe('appliesToDevice', () => {
  it('restricts to the device only when device-specific products are on', () => {
    const e = entitlement({ deviceId: 'stb-1' });
    expect(appliesToDevice(e, 'stb-1', true)).toBe(true);
    expect(appliesToDevice(e, 'stb-2', true)).toBe(false);
    expect(appliesToDevice(e, 'stb-2', false)).toBe(true);
    expect(appliesToDevice(entitlement(), 'stb-2', true)).toBe(true);
  });
});
