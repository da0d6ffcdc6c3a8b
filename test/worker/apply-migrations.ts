import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Each test file starts with a fresh D1; the real migrations are the only schema source.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
