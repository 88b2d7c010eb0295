import { OfferVersions } from './access-store';

const row = (id: string, version: string, name = 'Pass') => ({
  id,
  project_id: 'p',
  name,
  visibility: 'VISIBILITY_PUBLISHED',
  o_version: version,
});

describe('OfferVersions', () => {
  it('reuses the offer built from the same row version, and builds a new one for a new version', () => {
    const versions = new OfferVersions();
    const a = versions.offerOf(row('o1', '100/(0,1)', 'A'));
    expect(versions.offerOf(row('o1', '100/(0,1)', 'A'))).toBe(a);
    const b = versions.offerOf(row('o1', '100/(0,2)', 'B'));
    expect(b).not.toBe(a);
    expect(b.name).toBe('B');
    expect(versions.offerOf(row('o1', '100/(0,2)', 'B'))).toBe(b);
  });

  it('keys on the project too', () => {
    const versions = new OfferVersions();
    const a = versions.offerOf(row('o1', '1/(0,1)'));
    expect(versions.offerOf({ ...row('o1', '1/(0,1)'), project_id: 'q' })).not.toBe(a);
  });

  it('keeps at most `max` offers, dropping the oldest', () => {
    const versions = new OfferVersions(2);
    const o1 = versions.offerOf(row('o1', '1'));
    const o2 = versions.offerOf(row('o2', '1'));
    versions.offerOf(row('o3', '1'));
    expect(versions.offerOf(row('o2', '1'))).toBe(o2);
    expect(versions.offerOf(row('o1', '1'))).not.toBe(o1);
  });
});
