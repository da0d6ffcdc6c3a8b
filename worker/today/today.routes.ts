import { Hono } from 'hono';
import { TodayQuery } from '../../shared/schemas';
import type { AppEnv } from '../http/env';
import { AppError, notFound } from '../http/errors';
import { doc } from '../http/openapi';
import { query } from '../http/validate';
import { isMember } from '../admin/admin.repo';
import { dayOf } from './today.repo';

doc({
  method: 'get',
  path: '/api/v1/today',
  summary:
    "A manager's day: tasks due today and overdue (each with its client, contact, deal and lead names), open deals without activity for staleDays, open cases (VIP first)",
  tag: 'Today',
  query: TodayQuery,
});

const DAY_MS = 86_400_000;

/** Milliseconds the zone is ahead of UTC at an instant (e.g. +3 h for Europe/Sofia in summer). */
function zoneOffsetMs(tz: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The UTC instant a local date's midnight falls on in a zone (two passes settle DST days). */
function localMidnight(date: string, tz: string): number {
  const naive = Date.parse(date + 'T00:00:00Z');
  const first = naive - zoneOffsetMs(tz, naive);
  return naive - zoneOffsetMs(tz, first);
}

function localDate(tz: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

export const todayRoutes = new Hono<AppEnv>().get('/', query(TodayQuery), async (c) => {
  const p = c.get('principal');
  const db = c.env.DB;
  const q = c.req.valid('query');
  const owner = q.owner === 'me' ? p.userId : q.owner;
  if (owner !== p.userId) {
    if (p.role === 'manager') throw new AppError('forbidden', "Managers see their own day; a head of sales sees anyone's.");
    if (!(await isMember(db, p.orgId, owner))) throw notFound('User');
  }
  const tz = q.tz ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new AppError('validation_failed', 'The time zone is unknown.', {
      errors: [{ path: '/tz', code: 'invalid_time_zone', message: 'Use an IANA zone such as Europe/Sofia.' }],
    });
  }
  const now = Date.now();
  const date = q.date ?? localDate(tz, now);
  const start = new Date(localMidnight(date, tz)).toISOString();
  const end = new Date(localMidnight(new Date(Date.parse(date + 'T00:00:00Z') + DAY_MS).toISOString().slice(0, 10), tz)).toISOString();
  const staleBefore = new Date(now - q.staleDays * DAY_MS).toISOString();
  const day = await dayOf(db, p.orgId, owner, { start, end, staleBefore });
  return c.json({
    owner,
    date,
    tz,
    dueToday: day.dueToday,
    overdue: day.overdue,
    staleDeals: day.staleDeals.map((d) => ({
      ...d,
      daysSinceActivity: Math.floor((now - Date.parse(d.lastActivityAt ?? (d.createdAt as string))) / DAY_MS),
    })),
    openCases: day.openCases,
  });
});
