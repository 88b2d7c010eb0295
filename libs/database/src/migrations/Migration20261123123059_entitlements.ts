import { Migration } from '@mikro-orm/migrations';

export class Migration20261123123059_entitlements extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "entitlement_event" ("id" bigserial primary key, "project_id" varchar(63) not null, "entitlement_id" varchar(128) not null, "subject_id" varchar(256) not null, "product_id" varchar(256) not null, "kind" varchar(16) not null, "before" jsonb null, "after" jsonb null, "changed_fields" text[] not null, "actor" varchar(256) not null, "api" varchar(8) not null, "correlation_id" varchar(128) not null, "occurred_at" timestamptz(3) not null);`,
    );
    this.addSql(
      `create index "entitlement_event_subject_idx" on "entitlement_event" ("project_id", "subject_id", "product_id", "id");`,
    );
    this.addSql(
      `create index "entitlement_event_entitlement_idx" on "entitlement_event" ("project_id", "entitlement_id", "id");`,
    );

    this.addSql(
      `create table "entitlement" ("project_id" varchar(63) not null, "id" varchar(128) not null, "subject_id" varchar(256) not null, "product_id" varchar(256) not null, "valid_from" timestamptz(3) null, "valid_until" timestamptz(3) null, "status" text check ("status" in ('ACTIVE', 'REVOKED')) not null, "revoked_at" timestamptz(3) null, "device_id" varchar(256) null, "concurrency_limit" bigint null, "origin_country_code" char(2) null, "source_type" varchar(64) null, "source_id" varchar(256) null, "origin" text check ("origin" in ('MOTTO', 'CRM')) not null, "user_id" varchar(256) null, "purchased_by_device_id" varchar(256) null, "validity_type" varchar(16) null, "product_type" varchar(16) null, "capability_type" varchar(128) null, "is_archivable" boolean null, "is_freemium" boolean null, "first_view" timestamptz(3) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "entitlement_pkey" primary key ("project_id", "id"), constraint entitlement_concurrency_limit_check check (concurrency_limit is null or concurrency_limit >= 1));`,
    );
    this.addSql(
      `create index "entitlement_active_subject_idx" on "entitlement" ("project_id", "subject_id", "valid_until") where "status" = 'ACTIVE';`,
    );
    this.addSql(`create index "entitlement_project_created_idx" on "entitlement" ("project_id", "created_at", "id");`);
    this.addSql(`create index "entitlement_project_product_idx" on "entitlement" ("project_id", "product_id");`);
    this.addSql(
      `create unique index "entitlement_motto_key" on "entitlement" ("project_id", "subject_id", "product_id") where "origin" = 'MOTTO';`,
    );

    this.addSql(
      `alter table "entitlement_event" add constraint "entitlement_event_project_id_foreign" foreign key ("project_id") references "project" ("id") on update no action on delete restrict;`,
    );

    this.addSql(
      `alter table "entitlement" add constraint "entitlement_project_id_foreign" foreign key ("project_id") references "project" ("id") on update no action on delete restrict;`,
    );

    // Written by hand (MikroORM does not manage triggers): the history is append-only.
    this.addSql(`create function "entitlement_event_append_only"() returns trigger language plpgsql as $$
begin
  raise exception 'entitlement_event is append-only: % refused', tg_op using errcode = 'restrict_violation';
end $$;`);
    this.addSql(
      `create trigger "entitlement_event_append_only" before update or delete or truncate on "entitlement_event" for each statement execute function "entitlement_event_append_only"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "entitlement_event_append_only" on "entitlement_event";`);
    this.addSql(`drop function if exists "entitlement_event_append_only"();`);
    this.addSql(`drop table if exists "entitlement_event" cascade;`);

    this.addSql(`drop table if exists "entitlement" cascade;`);
  }
}
