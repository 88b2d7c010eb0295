import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120747_projects extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "project" ("id" varchar(63) not null, "name" varchar(200) not null, "settings" jsonb not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "project_pkey" primary key ("id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "project" cascade;`);
  }
}
