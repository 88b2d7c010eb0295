import { Migration } from '@mikro-orm/migrations';

export class Migration20261123123701_offers extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "offer" ("id" varchar(64) not null, "project_id" varchar(63) not null, "name" varchar(200) not null, "localized_title" jsonb not null, "localized_description" jsonb not null, "cleeng_offer_id" varchar(256) not null, "applies_to_all" boolean not null, "target" jsonb not null, "localized_logo_asset_id" jsonb not null, "localized_image_asset_id" jsonb not null, "offer_prices" jsonb not null, "priority" bigint not null, "concurrency_limit" bigint null, "visibility" text check ("visibility" in ('VISIBILITY_UNSPECIFIED', 'VISIBILITY_PUBLISHED', 'VISIBILITY_UNLISTED', 'VISIBILITY_HIDDEN')) not null, "video_protection_ruleset_id" varchar(256) not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "offer_pkey" primary key ("id"), constraint offer_concurrency_limit_check check (concurrency_limit is null or concurrency_limit >= 1));`,
    );
    this.addSql(
      `create index "offer_project_priority_idx" on "offer" ("project_id", "priority" desc, "created_at", "id");`,
    );
    this.addSql(`create index "offer_applies_to_all_idx" on "offer" ("project_id") where "applies_to_all";`);

    this.addSql(
      `create table "offer_content" ("project_id" varchar(63) not null, "kind" text check ("kind" in ('ENTITY', 'EVENT', 'CREATIVE_WORK')) not null, "content_id" varchar(256) not null, "offer_id" varchar(64) not null, constraint "offer_content_pkey" primary key ("project_id", "kind", "content_id", "offer_id"));`,
    );
    this.addSql(`create index "offer_content_offer_idx" on "offer_content" ("offer_id");`);

    this.addSql(
      `alter table "offer" add constraint "offer_project_id_foreign" foreign key ("project_id") references "project" ("id") on update no action on delete restrict;`,
    );

    this.addSql(
      `alter table "offer_content" add constraint "offer_content_offer_id_foreign" foreign key ("offer_id") references "offer" ("id") on update no action on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "offer_content" drop constraint "offer_content_offer_id_foreign";`);

    this.addSql(`drop table if exists "offer" cascade;`);

    this.addSql(`drop table if exists "offer_content" cascade;`);
  }
}
