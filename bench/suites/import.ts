import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapSheet, type Cell } from '../../shared/sheet';
import { applyMigrations, createLocalToken, freePort, ROOT, startServer } from '../../scripts/lib/local';
import { round } from '../stats';
import type { Suite } from '../run';

const HEADER = ['Име', 'Фирма', 'E-mail адрес', 'GSM', 'Град', 'Етап', 'Сума', 'Длъжност', 'Уебсайт', 'ЕИК', 'Бележки', 'Източник'];
const row = (i: number): Cell[] => [
  `Клиент ${i}`,
  `Фирма ${i} ООД`,
  `c${i}@f${i}.bg`,
  `0888${String(100000 + (i % 900000)).slice(-6)}`,
  'София',
  'Нова',
  '1200,50 лв.',
  'Управител',
  `www.f${i}.bg`,
  '831642181',
  'бележка',
  'excel',
];

/**
 * `import.rows_per_s`: 100,000 rows x 12 columns sent as leads through the import API (chunks of
 * 1,000, three in flight) into the local D1; `import.ratio_to_sqlite`: that rate divided by
 * better-sqlite3 inserting the same rows into the same schema in one transaction, same run.
 * --full also imports 1,048,576 rows (Excel's row limit) and reports the time.
 */
export const suite: Suite = {
  name: 'import',
  async run(ctx) {
    const counts = ctx.full ? [100_000, 1_048_576] : [100_000];
    const out: Record<string, number> = {};
    for (const total of counts) {
      const dir = mkdtempSync(join(tmpdir(), 'leadpane-bench-import-'));
      try {
        applyMigrations({ persistTo: dir });
        const token = createLocalToken({ email: 'head@import.local', role: 'head', org: 'Import' }, { persistTo: dir });
        const server = await startServer({
          port: await freePort(),
          persistTo: dir,
          bundleDir: join(dir, 'build'),
          vars: { RATE_LIMIT_PER_MIN: '0' },
        });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        try {
          const mapping = mapSheet([HEADER, ...Array.from({ length: 50 }, (_, i) => row(i))]);
          const imp = (await (
            await fetch(`${server.url}/api/v1/imports`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ kind: 'leads', mode: 'create', mapping }),
            })
          ).json()) as { id: string };
          const t0 = performance.now();
          let next = 0;
          await Promise.all(
            Array.from({ length: 3 }, async () => {
              for (let n = next++; n * 1000 < total; n = next++) {
                const rows = Array.from({ length: Math.min(1000, total - n * 1000) }, (_, k) => row(n * 1000 + k));
                const res = await fetch(`${server.url}/api/v1/imports/${imp.id}/chunks`, {
                  method: 'POST',
                  headers,
                  body: JSON.stringify({ chunk: n, firstRow: 1 + n * 1000, rows }),
                });
                if (!res.ok) throw new Error(`chunk ${n}: ${res.status} ${await res.text()}`);
                await res.arrayBuffer();
              }
            }),
          );
          const seconds = (performance.now() - t0) / 1000;
          if (total === 100_000) out['import.rows_per_s'] = Math.round(total / seconds);
          else out['import.full_rows_s'] = round(seconds);
          ctx.log(`${total.toLocaleString('en')} rows in ${round(seconds)} s`);
        } finally {
          await server.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Baseline: the same 100,000 lead rows straight into the same schema with better-sqlite3.
    const db = new Database(':memory:');
    for (const f of readdirSync(join(ROOT, 'worker/migrations')).sort()) db.exec(readFileSync(join(ROOT, 'worker/migrations', f), 'utf8'));
    db.exec(`INSERT INTO orgs (id, name, created_at, updated_at) VALUES ('o', 'o', 'x', 'x')`);
    const ins =
      db.prepare(`INSERT INTO leads (id, org_id, source, status, full_name, email, email_norm, phone, phone_e164, company_name, title, website, eik, city, notes, name_key, person_key, created_at, updated_at)
                            VALUES (?, 'o', 'excel', 'new', ?, ?, ?, ?, ?, ?, 'Управител', ?, '831642181', 'София', 'бележка', ?, ?, 'x', 'x')`);
    const t1 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) {
        const r = row(i);
        ins.run(`L${i}`, r[0], r[2], r[2], r[3], `+359${String(r[3]).slice(1)}`, r[1], r[8], `klient ${i} firma ${i} ood`, `klient ${i}`);
      }
    })();
    const sqliteRate = 100_000 / ((performance.now() - t1) / 1000);
    db.close();
    out['import.sqlite_rows_per_s'] = Math.round(sqliteRate);
    out['import.ratio_to_sqlite'] = round(out['import.rows_per_s']! / sqliteRate, 3);
    return out;
  },
};
