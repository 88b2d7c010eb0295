import { Migration } from '@mikro-orm/migrations';

export class Migration20261129220550_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outbox_event" ("seq" bigserial primary key, "event_id" uuid not null, "type" varchar(32) not null, "project_id" varchar(63) not null, "resource_kind" varchar(16) not null, "resource_id" varchar(128) not null, "actor" varchar(256) not null, "api" varchar(8) not null, "correlation_id" varchar(128) not null, "occurred_at" timestamptz(3) not null, "before" jsonb null, "after" jsonb null, "fanned_out_at" timestamptz(3) null, "nats_pending" boolean not null default true);`,
    );
    this.addSql(`alter table "outbox_event" add constraint "outbox_event_event_id_key" unique ("event_id");`);
    this.addSql(`create index "outbox_event_fan_out_idx" on "outbox_event" ("seq") where "fanned_out_at" is null;`);
    this.addSql(`create index "outbox_event_nats_idx" on "outbox_event" ("seq") where "nats_pending";`);

    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "project_id" varchar(63) not null, "url" varchar(2048) not null, "description" varchar(1024) not null, "event_types" text[] not null, "secret" varchar(128) not null, "previous_secret" varchar(128) null, "previous_secret_expires_at" timestamptz(3) null, "disabled_at" timestamptz(3) null, "disabled_reason" varchar(512) null, "failing_since" timestamptz(3) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "webhook_endpoint_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoint_project_idx" on "webhook_endpoint" ("project_id", "created_at", "id");`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" bigserial primary key, "endpoint_id" uuid not null, "event_seq" bigint not null, "event_id" uuid not null, "event_type" varchar(32) not null, "resource_key" varchar(160) not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null, "attempts" int not null default 0, "next_attempt_at" timestamptz(3) not null, "last_attempt_at" timestamptz(3) null, "last_status_code" int null, "last_error" varchar(1024) null, "created_at" timestamptz(3) not null, "finished_at" timestamptz(3) null);`,
    );
    this.addSql(
      `create index "webhook_delivery_due_idx" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING';`,
    );
    this.addSql(
      `create index "webhook_delivery_order_idx" on "webhook_delivery" ("endpoint_id", "resource_key", "event_seq") where "status" = 'PENDING';`,
    );
    this.addSql(`create index "webhook_delivery_endpoint_idx" on "webhook_delivery" ("endpoint_id", "id");`);

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update no action on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "outbox_event" cascade;`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }
}
