import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { FairTurns, POLL_OVERDUE_MS, type TurnClock } from '../../worker/http/fair-turns';
import { call } from './harness';

/** A clock whose timer ticks fire only when the test says the event loop polled. */
class LoopClock implements TurnClock {
  t = 0;
  private waiting: (() => void)[] = [];
  /** Ticks asked for from now on never fire (a timer lost with its request). */
  losing = false;
  now = () => this.t;
  tick = () => (this.losing ? new Promise<void>(() => {}) : new Promise<void>((resolve) => this.waiting.push(resolve)));
  poll(): void {
    const due = this.waiting;
    this.waiting = [];
    for (const fire of due) fire();
  }
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
};

describe('fair turns between connections', () => {
  it('lets every request in at once while the event loop polls in time', async () => {
    const clock = new LoopClock();
    const turns = new FairTurns(clock);
    const probes: Promise<void>[] = [];
    expect(await turns.enter((p) => probes.push(p))).toBe(false);
    clock.t = POLL_OVERDUE_MS;
    expect(await turns.enter((p) => probes.push(p))).toBe(false);
    expect(probes).toHaveLength(1);
    clock.poll();
    await probes[0];
    clock.t = 100;
    expect(await turns.enter((p) => probes.push(p))).toBe(false);
    expect(probes).toHaveLength(2);
  });

  it('holds a request that starts after the loop went over the limit without polling until its next poll', async () => {
    const clock = new LoopClock();
    const turns = new FairTurns(clock);
    await turns.enter();
    clock.t = POLL_OVERDUE_MS + 1;
    const held = turns.enter();
    expect(await settled(held)).toBe(false);
    clock.poll();
    expect(await held).toBe(true);
    // The loop polled: the next request arms a new probe and goes straight in.
    clock.t += 1;
    expect(await turns.enter()).toBe(false);
  });

  it('does not hold later requests forever when a probe timer is lost with its request', async () => {
    const clock = new LoopClock();
    const turns = new FairTurns(clock);
    clock.losing = true;
    await turns.enter();
    clock.losing = false;
    clock.t = 50;
    const held = turns.enter();
    clock.poll();
    expect(await held).toBe(true);
    clock.t = 60;
    expect(await turns.enter()).toBe(false);
  });

  it('answers through the app, the probe timer owned by the request that armed it', async () => {
    const ctx = createExecutionContext();
    const owned: Promise<unknown>[] = [];
    const waitUntil = ctx.waitUntil.bind(ctx);
    ctx.waitUntil = (p: Promise<unknown>) => {
      owned.push(p);
      waitUntil(p);
    };
    const res = await app.request('/api/v1/health', {}, env, ctx);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok' });
    await waitOnExecutionContext(ctx);
    expect(owned).toHaveLength(1);
    await owned[0];
    // Without an execution context (app.request alone) the request is answered all the same.
    expect((await call(null, 'GET', '/api/v1/health')).json).toMatchObject({ status: 'ok' });
  });
});
