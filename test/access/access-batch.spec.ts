import { TestApp } from '../support/test-app';
import { AccessWorld, CHECK, event } from './access-support';

const BATCH = `${CHECK}/batch`;

describe('batch access checks', () => {
  let t: TestApp;
  let w: AccessWorld;
  let evens: string;

  beforeAll(async () => {
    t = await TestApp.start();
    w = await new AccessWorld(t, 'batches').init();
    evens = await w.offer({
      name: 'even events',
      target: { event_ids: Array.from({ length: 50 }, (_, i) => `ev-${2 * i}`) },
    });
    await w.offer({ name: 'odd events', target: { event_ids: ['ev-1', 'ev-3'] } });
    await w.entitle('bea', evens);
  });
  afterAll(() => t.close());

  const batch = (contents: unknown, extra: Record<string, unknown> = {}) =>
    t.post(
      BATCH,
      { project_id: 'batches', user_id: 'bea', contents, country_code: 'FR', ...extra },
      { token: w.playback },
    );

  it('answers up to 100 contents in request order', async () => {
    // A shuffled order: 100 events, ev-99 down to ev-0 interleaved with creative works.
    const contents = Array.from({ length: 100 }, (_, i) =>
      i % 10 === 9 ? { kind: 'CREATIVE_WORK', id: `ev-${99 - i}` } : event(`ev-${99 - i}`),
    );
    const res = await batch(contents);
    expect(res.status).toBe(200);
    const checks = res.body.access_checks as { content: { kind: string; id: string }; reason: string }[];
    expect(checks.map((c) => c.content)).toEqual(contents.map(({ kind, id }) => ({ kind, id })));
    checks.forEach((check, i) => {
      const n = 99 - i;
      const expected =
        contents[i].kind === 'CREATIVE_WORK'
          ? 'NO_OFFER'
          : n % 2 === 0
            ? 'GRANTED'
            : n === 1 || n === 3
              ? 'ENTITLEMENT_MISSING'
              : 'NO_OFFER';
      expect([n, check.reason]).toEqual([n, expected]);
    });
  });

  it('answers each content as the single check does', async () => {
    const contents = [
      event('ev-3'),
      event('ev-2'),
      event('ev-none'),
      event('ev-2', { start_time: '2026-01-01T00:00:00Z' }),
    ];
    const res = await batch(contents, { device_id: 'tv' });
    for (const [i, content] of contents.entries()) {
      const single = await w.check('bea', content, { device_id: 'tv' });
      expect(res.body.access_checks[i]).toEqual(single.body.access_check);
    }
  });

  it.each([
    ['no contents', []],
    ['101 contents', Array.from({ length: 101 }, (_, i) => event(`ev-${i}`))],
    ['contents not a list', event('ev-0')],
    ['contents missing', undefined],
  ])('refuses %s naming contents', async (_, contents) => {
    const res = await batch(contents);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_argument');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain('contents');
  });

  it('names the bad item of contents by its index', async () => {
    const res = await batch([event('ev-0'), { kind: 'EVENT' }]);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field).join(' ')).toMatch(/contents\[1\]\.id/);
  });
});
