import { randomUUID } from 'node:crypto';
import { TestApp } from './test-app';

/** Stores a minimal offer directly (for tests of other resources); returns its id. */
export async function insertOffer(t: TestApp, projectId: string, name = 'Season pass'): Promise<string> {
  const id = randomUUID();
  await t.sql(
    `insert into offer (id, project_id, name, localized_title, localized_description, cleeng_offer_id, applies_to_all, target,
       localized_logo_asset_id, localized_image_asset_id, offer_prices, priority, concurrency_limit, visibility,
       video_protection_ruleset_id, created_at, updated_at)
     values ($1, $2, $3, '{}', '{}', '', true, '{"entityIds":[],"eventIds":[],"creativeWorkIds":[]}', '{}', '{}', '[]', 0, null,
       'VISIBILITY_PUBLISHED', '', now(), now())`,
    [id, projectId, name],
  );
  return id;
}
