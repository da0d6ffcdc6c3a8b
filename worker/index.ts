import { app } from './app';
import type { Bindings } from './lib/env';
import { purgeIdempotencyKeys } from './lib/idempotency';

export default {
  fetch: app.fetch,
  async scheduled(_event: ScheduledController, env: Bindings): Promise<void> {
    await purgeIdempotencyKeys(env.DB);
  },
} satisfies ExportedHandler<Bindings>;
