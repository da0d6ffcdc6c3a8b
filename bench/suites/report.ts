import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weekPeriod } from '../../shared/report/period';
import { weeklyReport } from '../../worker/reports/weekly-report';
import { d1OnSqlite } from '../lib/d1-on-sqlite';
import { applyMigrations, createLocalToken, executeSql, freePort, startServer } from '../../scripts/lib/local';
import { round } from '../stats';
import type { Suite } from '../run';

const STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];
const TYPES = ['email', 'call', 'meeting', 'note'];
const WEEK = '2026-W40';

/** Writes an organisation's year straight into the local D1 file (the server is not running). */
/** Time-ordered ids in the ULID alphabet, cheap enough for millions of rows. */
let idSeq = 0;
const ulid = () => {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let n = ++idSeq;
  let tail = '';
  for (let i = 0; i < 16; i++) {
    tail = A[n % 32]! + tail;
    n = Math.floor(n / 32);
  }
  return '01BENCH000' + tail;
};

function generate(file: string, orgId: string, sizes: { deals: number; activities: number; managers: number }): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Millions of rows go into a dozen indexes in random order: with SQLite's default 2 MB page
  // cache every insert reads and writes index pages from disk, and --full takes hours.
  db.pragma('cache_size = -4000000');
  db.pragma('synchronous = OFF');
  let rows = 0;
  const start = Date.parse('2026-01-05T00:00:00Z');
  const span = 300 * 86_400_000;
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const iso = (t: number) => new Date(t).toISOString();
  db.transaction(() => {
    const users: string[] = [];
    const u = db.prepare(
      `INSERT INTO users (id, org_id, email, email_norm, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'manager', ?, ?)`,
    );
    for (let i = 0; i < sizes.managers; i++) {
      const id = ulid();
      users.push(id);
      u.run(id, orgId, `m${i}@bench.local`, `m${i}@bench.local`, `Мениджър ${i}`, iso(start), iso(start));
    }
    const companies: string[] = [];
    const c = db.prepare(
      `INSERT INTO companies (id, org_id, name, vip_tier, owner_id, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < sizes.deals / 10; i++) {
      const id = ulid();
      companies.push(id);
      c.run(id, orgId, `Фирма ${i} ООД`, i % 50 === 0 ? 2 : 0, users[i % users.length], `firma ${i}`, iso(start), iso(start));
    }
    const d =
      db.prepare(`INSERT INTO deals (id, org_id, company_id, title, amount_minor, currency, stage, probability, expected_close, owner_id, lost_reason, competitor, closed_at, name_key, created_at, updated_at)
                          VALUES (?, ?, ?, 'Сделка', ?, 'BGN', ?, 0, ?, ?, ?, ?, ?, 'sdelka', ?, ?)`);
    const h = db.prepare(
      `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, 'BGN', ?, ?)`,
    );
    for (let i = 0; i < sizes.deals; i++) {
      const id = ulid();
      const created = start + Math.floor(rnd() * span);
      const steps = 1 + Math.floor(rnd() * 4);
      let stage = 'new';
      let t = created;
      const amount = 1000 + Math.floor(rnd() * 100000) * 100;
      const owner = users[i % users.length]!;
      h.run(ulid(), orgId, id, null, 'new', amount, owner, iso(t));
      for (let s = 1; s < steps; s++) {
        const next = s === steps - 1 && rnd() < 0.5 ? (rnd() < 0.5 ? 'won' : 'lost') : STAGES[Math.min(s, 3)]!;
        t += Math.floor(rnd() * 20 * 86_400_000);
        h.run(ulid(), orgId, id, stage, next, amount, owner, iso(t));
        stage = next;
        rows++;
      }
      const closed = stage === 'won' || stage === 'lost';
      d.run(
        id,
        orgId,
        companies[i % companies.length],
        amount,
        stage,
        iso(created + 60 * 86_400_000).slice(0, 10),
        owner,
        stage === 'lost' ? 'Цена' : null,
        stage === 'lost' ? 'Pipedrive' : null,
        closed ? iso(t) : null,
        iso(created),
        iso(t),
      );
      rows += 2;
    }
    const a = db.prepare(
      `INSERT INTO activities (id, org_id, type, subject, occurred_at, owner_id, company_id, name_key, created_at, updated_at) VALUES (?, ?, ?, 's', ?, ?, ?, 's', ?, ?)`,
    );
    for (let i = 0; i < sizes.activities; i++) {
      const t = iso(start + Math.floor(rnd() * span));
      a.run(ulid(), orgId, TYPES[i % 4], t, users[i % users.length], companies[i % companies.length], t, t);
      rows++;
    }
    const l = db.prepare(
      `INSERT INTO leads (id, org_id, source, status, owner_id, name_key, created_at, updated_at) VALUES (?, ?, ?, 'new', ?, 'x', ?, ?)`,
    );
    for (let i = 0; i < sizes.deals / 2; i++) {
      const t = iso(start + Math.floor(rnd() * span));
      l.run(ulid(), orgId, ['email', 'excel', 'webform', 'call'][i % 4], users[i % users.length], t, t);
      rows++;
    }
    const tk = db.prepare(
      `INSERT INTO tasks (id, org_id, title, due_at, done, assignee_id, name_key, created_at, updated_at) VALUES (?, ?, 'Обаждане', ?, ?, ?, 't', ?, ?)`,
    );
    for (let i = 0; i < sizes.deals / 5; i++) {
      const t = iso(start + Math.floor(rnd() * span));
      tk.run(ulid(), orgId, t, i % 3 === 0 ? 0 : 1, users[i % users.length], t, t);
      rows++;
    }
  })();
  db.exec('ANALYZE');
  db.close();
  return rows;
}

/**
 * `report.weekly_ms`: the weekly report over HTTP from the local server for an organisation with
 * 100,000 deals, 500,000 activities and 50 managers (--full: 1,000,000 deals and 5,000,000 activities);
 * `report.ratio_to_sqlite`: that time divided by the same report code run on better-sqlite3
 * in-process over the same file; `report.rows_read`: D1's rows read for one report;
 * `report.first_ms`: the week's first request, which also stores the week's snapshots (the
 * pipeline at both ends, the forecast and the won amounts) that later requests read.
 */
export const suite: Suite = {
  name: 'report',
  async run(ctx) {
    const sizes = ctx.full
      ? { deals: 1_000_000, activities: 5_000_000, managers: 50 }
      : { deals: 100_000, activities: 500_000, managers: 50 };
    const dir = mkdtempSync(join(tmpdir(), 'leadpane-bench-report-'));
    try {
      applyMigrations({ persistTo: dir });
      const token = createLocalToken({ email: 'head@bench.local', role: 'head', org: 'Bench' }, { persistTo: dir });
      const orgId = executeSql<{ id: string }>(`SELECT id FROM orgs WHERE name = 'Bench';`, { persistTo: dir })[0]!.id;
      const d1dir = join(dir, 'v3/d1/miniflare-D1DatabaseObject');
      const file = join(
        d1dir,
        readdirSync(d1dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')!,
      );
      const t0 = performance.now();
      const rows = generate(file, orgId, sizes);
      ctx.log(`generated ${rows.toLocaleString('en')} rows in ${round((performance.now() - t0) / 1000)} s`);

      const server = await startServer({ port: await freePort(), persistTo: dir, bundleDir: join(dir, 'build') });
      const times: number[] = [];
      let first = 0;
      let rowsRead = 0;
      try {
        for (let i = 0; i < 6; i++) {
          const t = performance.now();
          const res = await fetch(`${server.url}/api/v1/reports/weekly?week=${WEEK}`, { headers: { authorization: `Bearer ${token}` } });
          const body = (await res.json()) as { stats?: { rowsRead: number } };
          if (!res.ok) throw new Error(`report answered ${res.status}: ${JSON.stringify(body)}`);
          if (i > 0) times.push(performance.now() - t);
          else first = performance.now() - t;
          rowsRead = body.stats?.rowsRead ?? 0;
        }
      } finally {
        await server.stop();
      }
      times.sort((a, b) => a - b);
      const worker = times[Math.floor(times.length / 2)]!;

      const local = d1OnSqlite(file);
      const base: number[] = [];
      let json = '';
      try {
        for (let i = 0; i < 6; i++) {
          const t = performance.now();
          const report = await weeklyReport(local.db, orgId, weekPeriod(WEEK)!, { kind: 'org', id: null });
          if (i > 0) base.push(performance.now() - t);
          json = JSON.stringify({ ...report, generatedAt: null });
        }
      } finally {
        local.close();
      }
      // The data is generated from a fixed seed: a change to the report's code that keeps its numbers keeps this hash.
      ctx.log(`report JSON (generatedAt left out) sha256 ${createHash('sha256').update(json).digest('hex')}, ${json.length} bytes`);
      base.sort((a, b) => a - b);
      const sqlite = base[Math.floor(base.length / 2)]!;
      ctx.log(`worker ${round(worker)} ms, better-sqlite3 ${round(sqlite)} ms`);
      return {
        'report.weekly_ms': round(worker),
        // The first request of a past week also computes and stores its snapshots.
        'report.first_ms': round(first),
        'report.sqlite_ms': round(sqlite),
        'report.ratio_to_sqlite': round(worker / sqlite, 2),
        'report.rows_read': rowsRead,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
