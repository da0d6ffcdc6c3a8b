import { lastWeek } from '../shared/report/period';
import { app } from './app';
import type { Bindings } from './http/env';
import { purgeIdempotencyKeys } from './http/idempotency';
import { purgeRateLimits } from './forms/rate-limit';
import { storeSnapshots } from './reports/report-snapshots';

/**
 * The nightly job (wrangler.jsonc `triggers.crons`): forgets expired idempotency keys and the web
 * forms' closed rate-limit windows (without it `rate_limits` keeps a row per address ever seen), and stores
 * the snapshots of the week just ended for every organisation, so Monday's first weekly report is
 * as quick as the rest. Both are idempotent: a run repeated or missed changes nothing.
 */
export async function nightly(env: Bindings, at: Date): Promise<void> {
  await purgeIdempotencyKeys(env.DB);
  await purgeRateLimits(env.DB, 3600_000, at.getTime());
  const { results: orgs } = await env.DB.prepare('SELECT id FROM orgs ORDER BY id').all<{ id: string }>();
  const week = lastWeek(at);
  for (const org of orgs) await storeSnapshots(env.DB, org.id, week, at);
}

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Bindings): Promise<void> {
    await nightly(env, new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Bindings>;
