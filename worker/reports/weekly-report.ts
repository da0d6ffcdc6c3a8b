import { STAGE_PROBABILITY, STAGES, type Stage } from '../../shared/schemas';
import { isoWeekOf, planPeriods, weekPeriod, type Period } from '../../shared/report/period';
import { section, type Cell, type Lang, type ReportSection, type WeeklyReport } from '../../shared/report/definitions';
import { scoreCredit, type CreditInvoice } from '../../shared/credit/score';
import { AppError } from '../lib/errors';

const DAY = 86_400_000;
/** deal_stage_history.valid_to of a row that still holds (the column's default, migration 0005). */
const STILL_HOLDS = '9999-12-31T23:59:59.999Z';

/** Whom a report covers: the organisation, or one manager's own records (named from the report's own reads). */
export interface ScopeRef {
  kind: 'org' | 'manager';
  id: string | null;
}

/**
 * Computes the weekly report for a period and scope from dated rows and the deal stage history,
 * so the same period gives the same numbers whenever it is asked for (forecast and VIP contact
 * are as of the period's end).
 */
export async function weeklyReport(
  db: D1Database,
  orgId: string,
  period: Period,
  scope: ScopeRef,
  lang: Lang = 'en',
  clock: () => Date = () => new Date(),
  /** Statements to run in the report's batch after its reads (the export's audit row): one D1 round trip fewer. */
  alsoRun: D1PreparedStatement[] = [],
): Promise<WeeklyReport> {
  const { from, to } = period;
  const owner = scope.kind === 'manager' ? scope.id : null;
  // Each query binds ?1 org, ?2 from, ?3 to and, when scoped, ?4 owner.
  const by = (col: string) => (owner ? ` AND ${col} = ?4` : '');
  const params = owner ? [orgId, from, to, owner] : [orgId, from, to];
  // D1 refuses more bindings than the statement's highest ?N, so bind just as many as it uses.
  const q = (sql: string, extra: unknown[] = []) => {
    const used = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
    return db.prepare(sql).bind(...[...params, ...extra].slice(0, used));
  };
  const { plan, horizon4w, forecastEnd, wonSince } = windowsOf(to);
  // Overdue follow-ups and ages are measured at the period's end, or now while the period runs
  // (the time of day, not `clock`, which only decides which instants have stored snapshots).
  const asOf = minIso(to, new Date().toISOString());
  const vipCutoff = new Date(Date.parse(asOf) - 30 * DAY).toISOString();
  const n = params.length;

  // The pipeline as of an instant: the history rows that held then (changed before, valid after).
  const holding = (at: string) => `h.org_id = ?1 AND h.valid_to > ${at} AND h.changed_at < ${at}`;
  const ownerJoin = owner ? ' JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id' : '';
  // Past instants read stored snapshots (made on first use, or by the nightly job); the running week is live.
  const stored = await storeSnapshots(db, orgId, period, clock());
  const pipelineAt = (label: 'start' | 'end', param: '?2' | '?3', at: string) =>
    stored.has(`pipeline:${at}`)
      ? `SELECT '${label}' AS at, stage, currency, sum(deals) AS n, sum(value_minor) AS v FROM pipeline_snapshots
          WHERE org_id = ?1 AND at = ${param} AND stage != ''${owner ? ' AND owner_id = ?4' : ''} GROUP BY stage, currency`
      : `SELECT '${label}' AS at, h.to_stage AS stage, h.currency, count(*) AS n, sum(h.amount_minor) AS v FROM deal_stage_history h${ownerJoin}
          WHERE ${holding(param)}${by('d.owner_id')} GROUP BY h.to_stage, h.currency`;

  // The running week's end for the organisation: the pipeline stored at the week's start, minus
  // the rows that stopped holding since, plus the rows that began since and still hold. That reads
  // the week's changes instead of every open deal (a scan of the open deals was a third of the
  // running week's report): each part is one range of the covering index on (valid_to,
  // changed_at), the rows still holding split out so their changed_at range is seekable.
  // Managers' scopes stay live: the stored owner is the one at the start.
  const pipelineEnd =
    !stored.has(`pipeline:${to}`) && stored.has(`pipeline:${from}`) && !owner
      ? `SELECT 'end' AS at, stage, currency, sum(n) AS n, sum(v) AS v FROM (
           SELECT stage, currency, deals AS n, value_minor AS v FROM pipeline_snapshots WHERE org_id = ?1 AND at = ?2 AND stage != ''
           UNION ALL
           SELECT h.to_stage, h.currency, -1, -h.amount_minor FROM deal_stage_history h INDEXED BY deal_stage_history_valid
            WHERE h.org_id = ?1 AND h.valid_to > ?2 AND h.valid_to <= ?3 AND h.changed_at < ?2
           UNION ALL
           SELECT h.to_stage, h.currency, 1, h.amount_minor FROM deal_stage_history h INDEXED BY deal_stage_history_valid
            WHERE h.org_id = ?1 AND h.valid_to = '${STILL_HOLDS}' AND h.changed_at >= ?2 AND h.changed_at < ?3
           UNION ALL
           SELECT h.to_stage, h.currency, 1, h.amount_minor FROM deal_stage_history h INDEXED BY deal_stage_history_valid
            WHERE h.org_id = ?1 AND h.valid_to > ?3 AND h.valid_to < '${STILL_HOLDS}' AND h.changed_at >= ?2 AND h.changed_at < ?3)
         GROUP BY stage, currency HAVING sum(n) > 0`
      : pipelineAt('end', '?3', to);

  const reads = [
    /* 0 */ q(`SELECT source, owner_id, count(*) AS n, sum(converted_at IS NOT NULL) AS converted FROM leads
              WHERE org_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND deleted_at IS NULL${by('owner_id')} GROUP BY source, owner_id`),
    /* 1 */ q(`SELECT count(*) AS n FROM leads WHERE org_id = ?1 AND converted_at >= ?2 AND converted_at < ?3${by('owner_id')}`),
    /* 2 */ q(`${pipelineAt('start', '?2', from)} UNION ALL ${pipelineEnd}`),
    /* 3 */ q(`SELECT h.from_stage, h.to_stage, count(*) AS n FROM deal_stage_history h${ownerJoin}
              WHERE h.org_id = ?1 AND h.changed_at >= ?2 AND h.changed_at < ?3 AND h.from_stage IS NOT NULL AND h.from_stage != h.to_stage
                AND h.undated = 0${by('d.owner_id')}
              GROUP BY h.from_stage, h.to_stage`),
    // Won and lost deals of the period (a win or loss imported without its date belongs to no
    // period: migration 0017), summed here in one pass (a week of a million-deal
    // organisation closes thousands): by outcome and currency (k = 'o'), lost reasons ('r'), and
    // competitors ('c'). A won deal counts for every competitor linked to it and the one named on
    // it; a lost deal for the linked ones marked "lost to", else the one named on it.
    /* 4 */ q(`WITH closed AS MATERIALIZED (
                SELECT h.rowid AS hid, h.to_stage AS outcome, h.currency, h.amount_minor, d.id AS deal_id, d.lost_reason, d.competitor,
                       julianday(h.changed_at) - julianday(d.created_at) AS cycle
                  FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
                 WHERE h.org_id = ?1 AND h.changed_at >= ?2 AND h.changed_at < ?3 AND h.to_stage IN ('won', 'lost')
                   AND (h.from_stage IS NULL OR h.from_stage != h.to_stage) AND h.undated = 0${by('d.owner_id')}),
              linked AS MATERIALIZED (
                SELECT cl.hid, cl.outcome, c.name FROM closed cl
                  JOIN deal_competitors dc ON dc.org_id = ?1 AND dc.deal_id = cl.deal_id AND dc.deleted_at IS NULL
                  JOIN competitors c ON c.id = dc.competitor_id
                 WHERE cl.outcome = 'won' OR dc.lost_to)
              SELECT 'o' AS k, outcome AS a, currency AS b, count(*) AS n, sum(amount_minor) AS v, sum(cycle) AS cycle FROM closed GROUP BY outcome, currency
              UNION ALL
              SELECT 'r', coalesce(lost_reason, '—'), NULL, count(*), NULL, NULL FROM closed WHERE outcome = 'lost' GROUP BY 2
              UNION ALL
              SELECT 'c', name, NULL, sum(outcome = 'won'), sum(outcome = 'lost'), NULL FROM (
                SELECT hid, outcome, name FROM linked
                UNION
                SELECT hid, outcome, competitor FROM closed
                 WHERE coalesce(competitor, '') != '' AND (outcome = 'won' OR hid NOT IN (SELECT hid FROM linked)))
              GROUP BY name`),
    /* 5 */ q(
      `SELECT q.user_id, u.name, q.period, q.currency, q.amount_minor FROM quotas q JOIN users u ON u.id = q.user_id
              WHERE q.org_id = ?1 AND q.period IN (?${n + 1}, ?${n + 2})${by('q.user_id')}`,
      [plan.month, plan.quarter],
    ),
    /* 6 */ stored.has(`won:${to}`)
      ? q(`SELECT nullif(owner_id, '') AS owner_id, currency, value_minor AS v, in_month FROM won_snapshots
            WHERE org_id = ?1 AND at = ?3 AND currency != ''${by('owner_id')}`)
      : q(wonSql({ org: '?1', at: '?3', monthStart: `?${n + 1}`, since: `?${n + 2}`, owner: owner ? '?4' : null }), [
          plan.monthStart,
          wonSince,
        ]),
    /* 7 */ stored.has(`forecast:${to}`)
      ? q(`SELECT stage, currency, sum(deals) AS n, sum(value_minor) AS v, sum(weighted_minor) AS w, in4w, in_quarter AS inQuarter
             FROM forecast_snapshots WHERE org_id = ?1 AND at = ?3 AND stage != ''${by('owner_id')} GROUP BY stage, currency, in4w, in_quarter`)
      : q(
          forecastSql({
            org: '?1',
            at: '?3',
            horizonEnd: `?${n + 1}`,
            in4w: `?${n + 2}`,
            quarterEnd: `?${n + 3}`,
            owner: owner ? '?4' : null,
            perOwner: false,
          }),
          [forecastEnd, horizon4w, plan.quarterEnd],
        ),
    /* 8 */ q(`SELECT owner_id, type, count(*) AS n FROM activities
              WHERE org_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 AND deleted_at IS NULL${by('owner_id')} GROUP BY owner_id, type`),
    /* 9 */ q(
      `SELECT t.title, t.assignee_id, t.due_at FROM tasks t
              WHERE t.org_id = ?1 AND t.deleted_at IS NULL AND t.due_at < ?${n + 1} AND (t.done = 0 OR t.done_at >= ?${n + 1})${by('t.assignee_id')}
              ORDER BY t.due_at LIMIT 500`,
      [asOf],
    ),
    /* 10 */ q(`SELECT c.name, c.vip_tier, (SELECT max(a.occurred_at) FROM activities a
                       WHERE a.org_id = c.org_id AND a.company_id = c.id AND a.occurred_at < ?3 AND a.deleted_at IS NULL) AS last
                 FROM companies c WHERE c.org_id = ?1 AND c.vip_tier > 0 AND c.deleted_at IS NULL${by('c.owner_id')}
               `),
    /* 11 */ db.prepare(`SELECT id, name FROM users WHERE org_id = ?1`).bind(orgId),
    // Cases open at the period's end; a VIP's complaint is high priority, so it comes first.
    /* 12 */ q(`SELECT c.kind, c.subject, co.name AS company, c.priority, c.created_at FROM cases c LEFT JOIN companies co ON co.id = c.company_id
               WHERE c.org_id = ?1 AND c.deleted_at IS NULL AND c.created_at < ?3
                 AND (c.status IN ('open', 'in_progress') OR c.resolved_at >= ?3)${by('c.owner_id')}
               ORDER BY c.priority_rank DESC, c.created_at LIMIT 500`),
    // Payment history of the clients in scope, for their credit score at the start and end of the period.
    /* 13 */ q(`SELECT p.company_id, co.name, co.credit_limit_minor, co.credit_currency, p.amount_minor, p.currency, p.issued_on, p.due_on, p.paid_on
                 FROM payments p JOIN companies co ON co.id = p.company_id
                WHERE p.org_id = ?1 AND p.deleted_at IS NULL AND co.deleted_at IS NULL AND p.issued_on < substr(?3, 1, 10)${by('co.owner_id')}`),
    /* 14 */ db.prepare(`SELECT name FROM orgs WHERE id = ?1`).bind(orgId),
    // Won and lost of the eight weeks up to the period's end, by day, outcome and currency: the
    // weeks are made from the days below, and nothing adds one currency to another.
    /* 15 */ q(
      `SELECT substr(h.changed_at, 1, 10) AS day, h.to_stage AS outcome, h.currency, count(*) AS n, sum(h.amount_minor) AS v
         FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
        WHERE h.org_id = ?1 AND h.changed_at >= ?${n + 1} AND h.changed_at < ?3 AND h.to_stage IN ('won', 'lost')
          AND (h.from_stage IS NULL OR h.from_stage != h.to_stage) AND h.undated = 0${by('d.owner_id')}
        GROUP BY 1, 2, 3`,
      [trendStart(to)],
    ),
  ];
  const results = (await db.batch<Record<string, any>>([...reads, ...alsoRun])).slice(0, reads.length);
  const rows = results.map((r) => r.results);
  const rowsRead = results.reduce((a, r) => a + (r.meta?.rows_read ?? 0), 0);
  const names = new Map<string, string>(rows[11]!.map((u) => [u.id as string, u.name as string]));
  const scopeName = scope.kind === 'org' ? String(rows[14]![0]?.name ?? '') : names.get(scope.id!);
  if (scopeName === undefined) throw new AppError('not_found', 'No such manager in your organisation.');
  const who = (id: string | null) => (id ? (names.get(id) ?? id) : '—');
  const sections: ReportSection[] = [];

  // New leads and conversion
  const bySource = new Map<string, number>();
  const byManager = new Map<string | null, { n: number; converted: number }>();
  let leads = 0;
  let converted = 0;
  for (const r of rows[0]!) {
    bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.n);
    const m = byManager.get(r.owner_id) ?? { n: 0, converted: 0 };
    m.n += r.n;
    m.converted += r.converted;
    byManager.set(r.owner_id, m);
    leads += r.n;
    converted += r.converted;
  }
  sections.push(
    section(
      'newLeadsBySource',
      [...bySource].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s, v]) => [s, v]),
      lang,
    ),
  );
  sections.push(section('newLeadsByManager', [...byManager].map(([id, v]) => [who(id), v.n, v.converted] as Cell[]).sort(byText), lang));
  sections.push(section('conversion', [[leads, converted, leads ? round4(converted / leads) : 0, rows[1]![0]?.n ?? 0]], lang));

  // Pipeline at start and end, by stage and currency
  const pipe = new Map<string, Cell[]>();
  for (const r of rows[2]!) {
    const k = `${r.stage}|${r.currency}`;
    const row = pipe.get(k) ?? [r.stage, r.currency, 0, 0, 0, 0];
    if (r.at === 'start') [row[2], row[3]] = [r.n, r.v];
    else [row[4], row[5]] = [r.n, r.v];
    pipe.set(k, row);
  }
  sections.push(
    section(
      'pipeline',
      [...pipe.values()].sort((a, b) => stageOrder(a[0]) - stageOrder(b[0]) || String(a[1]).localeCompare(String(b[1]))),
      lang,
    ),
  );
  sections.push(
    section(
      'movements',
      rows[3]!
        .map((r) => [r.from_stage, r.to_stage, r.n] as Cell[])
        .sort((a, b) => stageOrder(a[0]) - stageOrder(b[0]) || stageOrder(a[1]) - stageOrder(b[1])),
      lang,
    ),
  );

  // Won and lost
  const closed = (k: 'o' | 'r' | 'c') => rows[4]!.filter((r) => r.k === k);
  sections.push(
    section(
      'wonLost',
      closed('o')
        .map((r) => [r.a, r.b, r.n, r.v, Math.round((r.cycle / r.n) * 10) / 10] as Cell[])
        .sort(byText),
      lang,
    ),
  );
  const byWeek = new Map<string, Cell[]>();
  for (const r of rows[15]!) {
    const week = isoWeekOf(new Date(`${r.day}T12:00:00.000Z`));
    const k = `${week}|${r.outcome}|${r.currency}`;
    const row = byWeek.get(k) ?? [week, r.outcome, r.currency, 0, 0];
    row[3] = Number(row[3]) + r.n;
    row[4] = Number(row[4]) + r.v;
    byWeek.set(k, row);
  }
  sections.push(
    section(
      'wonLostByWeek',
      [...byWeek.values()].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || byText(a.slice(1), b.slice(1))),
      lang,
    ),
  );
  sections.push(
    section(
      'lostReasons',
      closed('r')
        .map((r) => [r.a, r.n] as Cell[])
        .sort((a, b) => Number(b[1]) - Number(a[1]) || String(a[0]).localeCompare(String(b[0]))),
      lang,
    ),
  );
  sections.push(
    section(
      'competitors',
      closed('c')
        .map((r) => [r.a, r.n, r.v] as Cell[])
        .sort(byText),
      lang,
    ),
  );

  // Plan vs actual: quotas of the month and quarter containing the period's end
  const won = new Map<string, number>();
  for (const r of rows[6]!) {
    const qk = `${r.owner_id}|${plan.quarter}|${r.currency}`;
    won.set(qk, (won.get(qk) ?? 0) + r.v);
    if (r.in_month) won.set(`${r.owner_id}|${plan.month}|${r.currency}`, (won.get(`${r.owner_id}|${plan.month}|${r.currency}`) ?? 0) + r.v);
  }
  sections.push(
    section(
      'planVsActual',
      rows[5]!
        .map((r) => {
          const actual = won.get(`${r.user_id}|${r.period}|${r.currency}`) ?? 0;
          return [r.name, r.period, r.currency, r.amount_minor, actual, r.amount_minor ? round4(actual / r.amount_minor) : 0] as Cell[];
        })
        .sort(byText),
      lang,
    ),
  );

  // Weighted forecast as of the period's end
  const fc = new Map<string, [number, number, number]>();
  for (const r of rows[7]!) {
    const horizons: string[] = [];
    if (r.in4w) horizons.push('next4Weeks');
    if (r.inQuarter) horizons.push(plan.quarter);
    for (const h of horizons) {
      const k = `${h}|${r.currency}`;
      const cur = fc.get(k) ?? [0, 0, 0];
      fc.set(k, [cur[0] + r.n, cur[1] + r.v, cur[2] + r.w]);
    }
  }
  sections.push(section('forecast', [...fc].map(([k, v]) => [...k.split('|'), ...v] as Cell[]).sort(byText), lang));

  // Activities by manager and type
  const act = new Map<string | null, Record<string, number>>();
  for (const r of rows[8]!) {
    const a = act.get(r.owner_id) ?? { email: 0, call: 0, meeting: 0, note: 0 };
    a[r.type] = (a[r.type] ?? 0) + r.n;
    act.set(r.owner_id, a);
  }
  sections.push(
    section(
      'activities',
      [...act]
        .map(([id, a]) => [who(id), a.email!, a.call!, a.meeting!, a.note!, a.email! + a.call! + a.meeting! + a.note!] as Cell[])
        .sort(byText),
      lang,
    ),
  );

  sections.push(
    section(
      'overdueFollowUps',
      rows[9]!.map(
        (r) =>
          [
            r.title,
            who(r.assignee_id),
            String(r.due_at).slice(0, 10),
            Math.floor((Date.parse(asOf) - Date.parse(r.due_at)) / DAY),
          ] as Cell[],
      ),
      lang,
    ),
  );
  sections.push(
    section(
      'openCases',
      rows[12]!.map(
        (r) =>
          [r.kind, r.subject, r.company ?? null, r.priority, Math.floor((Date.parse(asOf) - Date.parse(r.created_at)) / DAY)] as Cell[],
      ),
      lang,
    ),
  );
  sections.push(
    section(
      'vipNoContact',
      rows[10]!
        .filter((r) => !r.last || r.last < vipCutoff)
        .map(
          (r) =>
            [
              r.name,
              r.vip_tier,
              r.last ? String(r.last).slice(0, 10) : null,
              r.last ? Math.floor((Date.parse(asOf) - Date.parse(r.last)) / DAY) : null,
            ] as Cell[],
        )
        .sort(byText),
      lang,
    ),
  );

  sections.push(section('creditWatch', creditWatch(rows[13]!, from, to), lang));

  return {
    kind: 'weekly',
    period,
    scope: { kind: scope.kind, id: scope.id, name: scopeName },
    generatedAt: new Date().toISOString(),
    sections,
    stats: { rowsRead },
  };
}

/**
 * Clients whose credit score fell during the period: the score on the day before it began against
 * the score on its last day, from the same invoices (payments made later count as not yet made).
 */
function creditWatch(payments: Record<string, any>[], from: string, to: string): Cell[][] {
  const day = (iso: string) => new Date(Date.parse(iso) - DAY).toISOString().slice(0, 10);
  const byCompany = new Map<string, { name: string; limit: number | null; currency: string | null; invoices: CreditInvoice[] }>();
  for (const p of payments) {
    let c = byCompany.get(p.company_id);
    if (!c) byCompany.set(p.company_id, (c = { name: p.name, limit: p.credit_limit_minor, currency: p.credit_currency, invoices: [] }));
    c.invoices.push({ amountMinor: p.amount_minor, currency: p.currency, issuedOn: p.issued_on, dueOn: p.due_on, paidOn: p.paid_on });
  }
  const out: Array<Cell[] & { drop?: number }> = [];
  for (const c of byCompany.values()) {
    const card = (asOf: string) =>
      scoreCredit({ asOf, creditLimitMinor: c.limit, currency: c.currency, invoices: c.invoices.filter((i) => i.issuedOn <= asOf) });
    const start = card(day(from));
    const end = card(day(to));
    if (end.score >= start.score) continue;
    out.push([c.name, start.score, end.score, end.grade, end.overdueAmountMinor, end.currency, end.reasons[0] ?? null]);
  }
  // Biggest drop first, then by name.
  return out.sort((a, b) => Number(b[1]) - Number(b[2]) - (Number(a[1]) - Number(a[2])) || String(a[0]).localeCompare(String(b[0])));
}

/** The windows of a period ending at `to`: its month and quarter, and the forecast's horizons. */
function windowsOf(to: string) {
  const plan = planPeriods(new Date(Date.parse(to) - 1).toISOString());
  const horizon4w = new Date(Date.parse(to) + 28 * DAY).toISOString();
  return {
    plan,
    horizon4w,
    // The forecast looks at deals closing before the later of the 4-week horizon and the quarter's end.
    forecastEnd: (plan.quarterEnd > horizon4w ? plan.quarterEnd : horizon4w).slice(0, 10),
    wonSince: minIso(plan.monthStart, plan.quarterStart),
  };
}

type SnapshotKind = 'pipeline' | 'forecast' | 'won';

/**
 * The snapshot tables. Each instant computed gets a marker row (`marker`, matched by `isMarker`),
 * so an instant with nothing to store also counts as computed.
 */
const SNAPSHOTS: Record<SnapshotKind, { table: string; marker: string; isMarker: string }> = {
  pipeline: {
    table: 'pipeline_snapshots',
    marker: `(org_id, at, owner_id, stage, currency, deals, value_minor) VALUES (?1, ?2, '', '', '', 0, 0)`,
    isMarker: `owner_id = '' AND stage = '' AND currency = ''`,
  },
  forecast: {
    table: 'forecast_snapshots',
    marker: `(org_id, at, owner_id, stage, currency, in4w, in_quarter, deals, value_minor, weighted_minor) VALUES (?1, ?2, '', '', '', 0, 0, 0, 0, 0)`,
    isMarker: `owner_id = '' AND stage = ''`,
  },
  won: {
    table: 'won_snapshots',
    marker: `(org_id, at, owner_id, currency, in_month, value_minor) VALUES (?1, ?2, '', '', 0, 0)`,
    isMarker: `owner_id = '' AND currency = ''`,
  },
};

/**
 * Makes sure the snapshots of a period's passed instants are stored: the pipeline at both ends,
 * the forecast and the won amounts at its end. Answers which are stored ('pipeline:<at>',
 * 'forecast:<at>', 'won:<at>'). Computing them reads the stage history of the whole
 * organisation (seconds at a million deals), so the nightly job does it for the week just ended
 * before anyone asks; a report asked first does it itself.
 */
export async function storeSnapshots(db: D1Database, orgId: string, period: Period, at: Date): Promise<Set<string>> {
  const { from, to } = period;
  const now = at.toISOString();
  const wanted: [SnapshotKind, string][] = [];
  for (const t of [from, to]) if (t <= now) wanted.push(['pipeline', t]);
  if (to <= now) wanted.push(['forecast', to], ['won', to]);
  const stored = new Set<string>();
  if (!wanted.length) return stored;

  const { results: have } = await db
    .prepare(
      wanted
        .map(
          ([kind], i) =>
            `SELECT '${kind}:' || at AS k FROM ${SNAPSHOTS[kind].table} WHERE org_id = ?1 AND at = ?${i + 2} AND ${SNAPSHOTS[kind].isMarker}`,
        )
        .join(' UNION ALL '),
    )
    .bind(orgId, ...wanted.map(([, t]) => t))
    .all<{ k: string }>();
  for (const h of have) stored.add(h.k);

  const { plan, horizon4w, forecastEnd, wonSince } = windowsOf(to);
  const fill: Record<SnapshotKind, (t: string) => D1PreparedStatement> = {
    pipeline: (t) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO pipeline_snapshots (org_id, at, owner_id, stage, currency, deals, value_minor)
           SELECT ?1, ?2, coalesce(d.owner_id, ''), h.to_stage, h.currency, count(*), sum(h.amount_minor)
             FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
            WHERE h.org_id = ?1 AND h.valid_to > ?2 AND h.changed_at < ?2 GROUP BY 3, 4, 5`,
        )
        .bind(orgId, t),
    forecast: (t) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO forecast_snapshots (org_id, at, owner_id, stage, currency, deals, value_minor, weighted_minor, in4w, in_quarter)
           ${forecastSql({ org: '?1', at: '?2', horizonEnd: '?3', in4w: '?4', quarterEnd: '?5', owner: null, perOwner: true })}`,
        )
        .bind(orgId, t, forecastEnd, horizon4w, plan.quarterEnd),
    won: (t) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO won_snapshots (org_id, at, owner_id, currency, in_month, value_minor)
           SELECT ?1, ?2, coalesce(owner_id, ''), currency, in_month, v FROM (${wonSql({ org: '?1', at: '?2', monthStart: '?3', since: '?4', owner: null })})`,
        )
        .bind(orgId, t, plan.monthStart, wonSince),
  };
  const writes: D1PreparedStatement[] = [];
  for (const [kind, t] of wanted) {
    if (stored.has(`${kind}:${t}`)) continue;
    writes.push(fill[kind](t), db.prepare(`INSERT OR IGNORE INTO ${SNAPSHOTS[kind].table} ${SNAPSHOTS[kind].marker}`).bind(orgId, t));
    stored.add(`${kind}:${t}`);
  }
  if (writes.length) await db.batch(writes);
  return stored;
}

interface Params {
  org: string;
  at: string;
  owner: string | null;
}

/** Amounts won from `since` up to `at`, by owner and currency, flagged when won in the month. */
function wonSql(p: Params & { monthStart: string; since: string }): string {
  return `SELECT d.owner_id, h.currency, sum(h.amount_minor) AS v, h.changed_at >= ${p.monthStart} AS in_month
            FROM deal_stage_history h JOIN deals d INDEXED BY deals_report ON d.id = h.deal_id
           WHERE h.org_id = ${p.org} AND h.changed_at >= ${p.since} AND h.changed_at < ${p.at} AND h.to_stage = 'won'
             AND (h.from_stage IS NULL OR h.from_stage != 'won') AND h.undated = 0${p.owner ? ` AND d.owner_id = ${p.owner}` : ''}
           GROUP BY d.owner_id, h.currency, in_month`;
}

/**
 * The weighted forecast of the deals open at `at`, by stage and currency (and owner, for a
 * snapshot), flagged by whether each closes within 4 weeks and within the quarter.
 * Summed here, not row by row in the Worker: a 100,000-deal pipeline has tens of thousands of
 * open deals. The deals closing in the window are set aside first, then one pass over the stage
 * rows holding at `at` finds theirs (cheaper than one index probe per deal).
 */
function forecastSql(p: Params & { horizonEnd: string; in4w: string; quarterEnd: string; perOwner: boolean }): string {
  const weight = Object.entries(STAGE_PROBABILITY)
    .map(([stage, pct]) => `WHEN '${stage}' THEN ${pct}`)
    .join(' ');
  const owner = p.perOwner ? `${p.org}, ${p.at}, coalesce(closing.owner_id, ''), ` : '';
  return `WITH closing AS MATERIALIZED (
         SELECT d.id, d.expected_close, d.owner_id FROM deals d
          WHERE d.org_id = ${p.org} AND d.expected_close >= substr(${p.at}, 1, 10) AND d.expected_close < ${p.horizonEnd}${p.owner ? ` AND d.owner_id = ${p.owner}` : ''})
       SELECT ${owner}h.to_stage AS stage, h.currency, count(*) AS n, sum(h.amount_minor) AS v,
              sum(CAST(h.amount_minor * (CASE h.to_stage ${weight} ELSE 0 END) / 100.0 + 0.5 AS INTEGER)) AS w,
              (closing.expected_close || 'T00:00:00.000Z') < ${p.in4w} AS in4w,
              (closing.expected_close || 'T00:00:00.000Z') < ${p.quarterEnd} AS inQuarter
         FROM deal_stage_history h CROSS JOIN closing ON closing.id = h.deal_id
        WHERE h.org_id = ${p.org} AND h.valid_to > ${p.at} AND h.changed_at < ${p.at} AND h.to_stage IN ('new', 'qualified', 'proposal', 'negotiation')
        GROUP BY ${p.perOwner ? '3, ' : ''}h.to_stage, h.currency, in4w, inQuarter`;
}

/** The Monday that starts the eighth ISO week back from the period's end (its own week included). */
function trendStart(to: string): string {
  const last = weekPeriod(isoWeekOf(new Date(Date.parse(to) - 1)))!;
  return new Date(Date.parse(last.from) - 7 * 7 * DAY).toISOString();
}

const round4 = (v: number) => Math.round(v * 10000) / 10000;
const stageOrder = (s: Cell | undefined) => STAGES.indexOf(s as Stage);
const byText = (a: Cell[], b: Cell[]) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]));
const minIso = (a: string, b: string) => (a < b ? a : b);
