import { EntityManager } from '@mikro-orm/postgresql';
import { Global, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from './metrics';

interface KnexLike {
  client?: { pool?: unknown };
}

/**
 * The Metrics service, for every module (global): other features inject it and report through its named
 * methods. Here the values read at scrape time are wired: the database pool and the live playback sessions.
 */
@Global()
@Module({
  providers: [
    {
      provide: Metrics,
      // Without METRICS_TOKEN nobody reads them: no event-loop monitor, no runtime collectors.
      useFactory: (config: AppConfig) => new Metrics({ runtime: Boolean(config.metricsToken) }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [Metrics],
})
export class ObservabilityModule implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly em: EntityManager,
  ) {}

  onModuleInit(): void {
    const connection = this.em.getConnection();
    this.metrics.watchPool(() => (connection.getKnex() as KnexLike).client?.pool as never);
    this.metrics.sampleLivePlaybackSessions(async () => {
      try {
        const rows = await connection.execute<{ n: number }[]>(
          'select count(*)::int as n from playback_session where ended_at is null and lease_until > now()',
        );
        return rows[0]?.n;
      } catch {
        return undefined; // the database is down: the scrape still answers (db_pool_* and the rest)
      }
    });
  }
}
