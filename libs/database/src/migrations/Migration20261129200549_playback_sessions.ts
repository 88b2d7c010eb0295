import { Migration } from '@mikro-orm/migrations';

export class Migration20261129200549_playback_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "playback_session" ("id" uuid not null, "project_id" varchar(63) not null, "subject_id" varchar(256) not null, "entitlement_id" varchar(128) not null, "offer_id" varchar(64) not null, "device_id" varchar(256) not null, "content_kind" text check ("content_kind" in ('EVENT', 'CREATIVE_WORK')) not null, "content_id" varchar(256) not null, "country_code" char(2) not null, "basis" text check ("basis" in ('ENTITLEMENT', 'EU_PORTABILITY')) not null, "started_at" timestamptz(3) not null, "lease_until" timestamptz(3) not null, "rental_until" timestamptz(3) null, "ended_at" timestamptz(3) null, "end_reason" text check ("end_reason" in ('STOPPED', 'EVICTED', 'REPLACED', 'EXPIRED', 'ENTITLEMENT_REVOKED', 'ENTITLEMENT_EXPIRED')) null, constraint "playback_session_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "playback_session_viewer_idx" on "playback_session" ("project_id", "subject_id", "lease_until") where "ended_at" is null;`,
    );
    this.addSql(`create index "playback_session_lease_idx" on "playback_session" ("lease_until");`);

    this.addSql(
      `alter table "playback_session" add constraint "playback_session_project_id_foreign" foreign key ("project_id") references "project" ("id") on update no action on delete restrict;`,
    );

    this.addSql(
      `create index "entitlement_subject_created_idx" on "entitlement" ("project_id", "subject_id", "created_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "playback_session" cascade;`);

    this.addSql(`drop index "entitlement_subject_created_idx";`);
  }
}
