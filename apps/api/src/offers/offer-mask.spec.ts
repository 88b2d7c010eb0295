import { emptyTarget, Offer, OFFER_LIMITS, OfferFields } from '@app/domain';
import { applyOfferUpdate, isOfferUpdatablePath, OFFER_UPDATABLE_PATHS, offerPathsPresent } from './offer-mask';
import { validateOfferInput } from './offer-reader';
import { VALUE } from './offer-wire.fixtures';

describe('updates', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const created = new Date('2024-01-01T00:00:00Z');
  const existing = () => new Offer({ ...VALUE, id: 'o-1', createdAt: created, updatedAt: created });
  const patchOf = (body: Record<string, unknown>): OfferFields => {
    const result = validateOfferInput(body, { partial: true });
    expect(result.violations).toEqual([]);
    return result.value as OfferFields;
  };

  it('lists the updatable paths', () => {
    expect(OFFER_UPDATABLE_PATHS).toEqual([
      'name',
      'localized_title',
      'localized_description',
      'cleeng_offer_id',
      'applies_to_all',
      'target',
      'target.entity_ids',
      'target.event_ids',
      'target.creative_work_ids',
      'target.content_start_time',
      'target.content_end_time',
      'localized_logo_asset_id',
      'localized_image_asset_id',
      'offer_prices',
      'priority',
      'concurrency_limit',
      'visibility',
      'video_protection_ruleset_id',
    ]);
    expect(isOfferUpdatablePath('target.event_ids')).toBe(true);
    expect(isOfferUpdatablePath('project_id')).toBe(false);
    expect(isOfferUpdatablePath('id')).toBe(false);
  });

  it('changes only the fields in the mask, as a new offer', () => {
    const offer = existing();
    const result = applyOfferUpdate(offer, patchOf({ name: 'New name', priority: '99' }), ['name'], { now });
    expect(result.violations).toEqual([]);
    expect(result.value).toBeInstanceOf(Offer);
    expect(result.value).toEqual({ ...offer, name: 'New name', updatedAt: now });
    expect(offer.name).toBe('Season pass 2024');
    expect(offer.updatedAt).toBe(created);
  });

  it('resets a field in the mask but absent from the body to its default', () => {
    const result = applyOfferUpdate(
      existing(),
      patchOf({ concurrency_limit: null }),
      ['concurrency_limit', 'localized_title', 'target'],
      { now },
    );
    expect(result.value).toMatchObject({ concurrencyLimit: undefined, localizedTitle: {}, target: emptyTarget() });
  });

  it('updates one list of the target, keeping the rest', () => {
    const offer = existing();
    const result = applyOfferUpdate(offer, patchOf({ target: { event_ids: ['ev-9'] } }), ['target.event_ids'], { now });
    expect(result.value?.target).toEqual({ ...VALUE.target, eventIds: ['ev-9'] });
    expect(offer.target.eventIds).toEqual(['ev-1', 'ev-2']);
  });

  it('takes every updatable field with *', () => {
    const result = applyOfferUpdate(existing(), patchOf({ name: 'Only this', applies_to_all: true }), ['*'], { now });
    expect(result.violations).toEqual([]);
    expect(result.value).toMatchObject({
      id: 'o-1',
      projectId: 'rtt-show',
      name: 'Only this',
      appliesToAll: true,
      target: emptyTarget(),
      offerPrices: [],
      priority: '0',
      createdAt: created,
      updatedAt: now,
    });
  });

  it.each([
    [['project_id'], '"project_id" is not an updatable field path'],
    [['id'], '"id" is not an updatable field path'],
    [['create_time'], '"create_time" is not an updatable field path'],
    [['localized_title.en'], '"localized_title.en" is not an updatable field path'],
    [['projectId'], '"projectId" is not an updatable field path'],
  ])('refuses the mask %j', (mask, start) => {
    const result = applyOfferUpdate(existing(), patchOf({}), mask);
    expect(result.violations).toEqual([
      { field: 'update_mask', description: `${start} (updatable: ${OFFER_UPDATABLE_PATHS.join(', ')})` },
    ]);
    expect(result.value).toBeUndefined();
  });

  it('names the mask as told', () => {
    expect(applyOfferUpdate(existing(), patchOf({}), ['nope'], { maskField: 'updateMask' }).violations[0].field).toBe(
      'updateMask',
    );
  });

  it('checks the rules across fields on the updated offer', () => {
    expect(
      applyOfferUpdate(existing(), patchOf({ applies_to_all: true }), ['applies_to_all'], { pathPrefix: 'offer' })
        .violations,
    ).toEqual([{ field: 'offer.target', description: 'must be empty when applies_to_all is true' }]);
    expect(
      applyOfferUpdate(existing(), patchOf({ applies_to_all: true }), ['applies_to_all', 'target']).violations,
    ).toEqual([]);
    expect(
      applyOfferUpdate(existing(), patchOf({ target: { content_end_time: '2020-01-01T00:00:00Z' } }), [
        'target.content_end_time',
      ]).violations,
    ).toEqual([{ field: 'target.content_end_time', description: 'must be after target.content_start_time' }]);
  });

  it('validates the merged offer as a created one: a masked name left out is refused, not stored empty', () => {
    expect(applyOfferUpdate(existing(), patchOf({}), ['name'], { pathPrefix: 'offer' }).violations).toEqual([
      { field: 'offer.name', description: 'must be 1 to 200 characters' },
    ]);
    expect(applyOfferUpdate(existing(), patchOf({}), ['*']).violations).toEqual([
      { field: 'name', description: 'must be 1 to 200 characters' },
    ]);
    expect(applyOfferUpdate(existing(), patchOf({ name: 'Renamed' }), ['name']).value?.name).toBe('Renamed');
  });

  it('finds the top-level fields present in a body, for an empty mask', () => {
    expect(
      offerPathsPresent({ name: 'x', concurrency_limit: null, target: {}, id: 'o-1', project_id: 'p', bogus: 1 }),
    ).toEqual(['name', 'target', 'concurrency_limit']);
    expect(offerPathsPresent('x')).toEqual([]);
  });

  it('exposes its limits', () => {
    expect(OFFER_LIMITS).toEqual({
      nameMax: 200,
      localizedEntriesMax: 200,
      localizedTextMax: 1000,
      idMax: 256,
      targetIdsMax: 1000,
      pricesMax: 100,
      countryCodesMax: 300,
    });
  });
});
