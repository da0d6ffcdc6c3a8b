import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { nightly } from '../../worker/index';

describe('the nightly job', () => {
  it("forgets the web forms' rate-limit windows that closed over an hour ago and keeps the current ones", async () => {
    const at = new Date('2026-12-07T00:15:00.000Z');
    const now = at.getTime();
    await env.DB.batch([
      env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 3)').bind('wf:old:ip:local', now - 2 * 3600_000),
      env.DB.prepare('INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)').bind('wf:recent:ip:local', now - 60_000),
    ]);
    await nightly(env as never, at);
    const { results } = await env.DB.prepare('SELECT key FROM rate_limits ORDER BY key').all<{ key: string }>();
    expect(results.map((r) => r.key)).toEqual(['wf:recent:ip:local']);
  });
});
