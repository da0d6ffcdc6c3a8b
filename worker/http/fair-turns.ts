import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env';

/*
 * Fair turns between connections on one isolate's event loop.
 *
 * workerd reads a kept-alive connection's next request at once when its bytes are already in the
 * socket buffer; it polls the sockets for the others only when its event queue runs dry. Under a
 * steady load a few connections keep the queue busy that way and the rest wait unread: on the
 * local server, 20 clients mixing reads and writes, strace saw the loop serve 4 connections for
 * 3 s without one epoll_wait, and requests waited up to 700 ms before the Worker saw them (each
 * then took 10-30 ms). A timer fires only when the loop polls. So every request arms a probe
 * timer if none is pending, and a request that starts while a probe has been pending for more
 * than POLL_OVERDUE_MS (the loop has not polled since) first waits for the next timer tick:
 * the requests already inside finish, the loop runs dry, polls, and the waiting connections are
 * read. While the loop polls in time, nobody waits.
 */
export const POLL_OVERDUE_MS = 5;

export interface TurnClock {
  now(): number;
  /** Resolves at the event loop's next poll (a zero-delay timer). */
  tick(): Promise<void>;
}

const realClock: TurnClock = {
  now: () => Date.now(),
  tick: () => new Promise((resolve) => setTimeout(resolve, 0)),
};

export class FairTurns {
  /** When the pending probe was armed; null once it fired (the loop polled since). */
  private armedAt: number | null = null;
  private probe = 0;

  constructor(
    private readonly clock: TurnClock = realClock,
    private readonly overdueMs = POLL_OVERDUE_MS,
  ) {}

  /**
   * Waits for the loop's next poll when it is overdue (answers true), else returns at once
   * (false). `keepAlive` receives the probe, so that the request that armed it, which may finish
   * first, keeps its timer alive.
   */
  async enter(keepAlive: (probe: Promise<void>) => void = () => {}): Promise<boolean> {
    const now = this.clock.now();
    if (this.armedAt === null) {
      const id = ++this.probe;
      this.armedAt = now;
      keepAlive(this.clock.tick().then(() => this.fired(id)));
      return false;
    }
    if (now - this.armedAt <= this.overdueMs) return false;
    const id = this.probe;
    await this.clock.tick();
    // The loop has polled: clear the probe even if its timer was lost with its request.
    this.fired(id);
    return true;
  }

  private fired(id: number): void {
    if (this.probe === id) this.armedAt = null;
  }
}

const turns = new FairTurns();

/** Mounted first: a request waits its turn before any work when the loop has stopped polling. */
export const fairTurns = createMiddleware<AppEnv>(async (c, next) => {
  let keepAlive: ((p: Promise<void>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    keepAlive = (p) => ctx.waitUntil(p);
  } catch {
    // No execution context (app.request in a unit test): the probe simply runs unowned.
  }
  await turns.enter(keepAlive);
  await next();
});
