import type { z } from 'zod';
import { companyKey, nameKey, normalizeEik, normalizeEmail, normalizeVat } from '../../shared/identity';
import type { ImportChunk, ImportRowResult } from '../../shared/schemas';
import { createRowConverter, type HeaderMapping, type ImportKind, type ImportRecord } from '../../shared/sheet';
import { lookupKeys, type Key } from './identity-lookup';
import { planPayments } from './import-payments';
import { companies } from '../companies/companies.repo';
import { deals } from '../deals/deals.repo';
import { leads } from '../leads/leads.repo';
import type { Rec } from '../lib/crud';
import type { Principal } from '../lib/env';
import { newId } from '../lib/ids';
import { auditStatement } from '../lib/audit';
import { WON_RULE } from '../rules/won-needs-documents';
import { enforceWriteRules, type PlannedWrite } from './import-rules';

const LEAD_FIELDS = Object.keys(leads.spec.fields);
const DEAL_FIELDS = Object.keys(deals.spec.fields);
const COMPANY_FIELDS = Object.keys(companies.spec.fields);

export interface ImportRow {
  id: string;
  kind: ImportKind;
  mode: 'create' | 'update' | 'skip';
  mapping: HeaderMapping;
  options: { defaultCountry?: 'BG' | 'RU'; defaultCurrency?: 'BGN' | 'EUR' | 'RUB' | 'USD'; dateOrder?: 'DMY' | 'MDY'; source?: string };
}

export interface ChunkPlan {
  results: ImportRowResult[];
  statements: D1PreparedStatement[];
  counts: { created: number; updated: number; skipped: number; error: number };
}

const json = JSON.stringify;

/** Users of the organisation by name key and email, so an "Owner" column can name a manager. */
async function ownerResolver(db: D1Database, orgId: string): Promise<(v: string | undefined) => string | null> {
  const { results } = await db
    .prepare('SELECT id, name, email_norm FROM users WHERE org_id = ?1 AND active = 1')
    .bind(orgId)
    .all<{ id: string; name: string; email_norm: string }>();
  const byKey = new Map<string, string>();
  for (const u of results) {
    byKey.set(nameKey(u.name), u.id);
    byKey.set(u.email_norm, u.id);
  }
  return (v) => (v ? (byKey.get(normalizeEmail(v) ?? '') ?? byKey.get(nameKey(v)) ?? null) : null);
}

async function loadByIds(
  db: D1Database,
  orgId: string,
  table: string,
  ids: string[],
  repo: { toRecord(r: Record<string, unknown>): Rec },
): Promise<Map<string, Rec>> {
  if (!ids.length) return new Map();
  const { results } = await db
    .prepare(`SELECT * FROM ${table} WHERE org_id = ?1 AND deleted_at IS NULL AND id IN (SELECT value FROM json_each(?2))`)
    .bind(orgId, json([...new Set(ids)]))
    .all<Record<string, unknown>>();
  return new Map(results.map((r) => [r.id as string, repo.toRecord(r)]));
}

const set = <T extends object>(target: T, patch: Partial<T>) => {
  for (const [k, v] of Object.entries(patch)) if (v !== undefined && v !== null && v !== '') (target as Record<string, unknown>)[k] = v;
};

function leadFields(r: ImportRecord, owner: string | null, source: string): Record<string, unknown> {
  return {
    source: r.source && ['email', 'excel', 'webform', 'manual', 'call'].includes(r.source) ? r.source : source,
    status: r.status,
    fullName: r.fullName ?? ([r.firstName, r.lastName].filter(Boolean).join(' ') || undefined),
    firstName: r.firstName,
    lastName: r.lastName,
    email: r.email,
    phone: r.phone ?? r.mobile,
    companyName: r.company,
    title: r.title,
    website: r.website,
    eik: r.eik,
    vat: r.vatNumber,
    address: [r.address, r.postalCode].filter(Boolean).join(', ') || undefined,
    city: r.city,
    notes: r.notes,
    ownerId: owner ?? undefined,
  };
}

/**
 * Turns one chunk of sheet rows into row results and the statements that apply them. Nothing
 * is written here: the caller runs the statements as one batch (or not, for a dry run).
 */
export async function planChunk(
  db: D1Database,
  p: Principal,
  imp: ImportRow,
  chunk: z.output<typeof ImportChunk>,
  now: string,
): Promise<ChunkPlan> {
  const convert = createRowConverter(imp.mapping, imp.options);
  // The users are read only when a column names owners: one D1 round trip less per chunk otherwise.
  const namesOwners = imp.kind !== 'payments' && imp.mapping.columns.some((c) => c.field === 'owner');
  const ownerOf = namesOwners ? await ownerResolver(db, p.orgId) : () => null;
  const results: ImportRowResult[] = [];
  const good: { result: ImportRowResult; record: ImportRecord; givenId: string | null }[] = [];
  chunk.rows.forEach((cells, i) => {
    const row = chunk.firstRow + i;
    const converted = convert(cells, row);
    if (converted.empty) return;
    const result: ImportRowResult = {
      row,
      status: 'error',
      id: null,
      errors: converted.errors.map((e) => ({ row: e.row, column: e.column, field: e.field, reason: e.reason, value: e.value })),
    };
    results.push(result);
    const r = converted.record;
    if (!result.errors.length && imp.kind !== 'payments') {
      const anyIdentity =
        imp.kind === 'leads'
          ? r.fullName || r.firstName || r.lastName || r.email || r.phone || r.mobile || r.company
          : r.dealTitle || r.company || r.fullName;
      if (!anyIdentity)
        result.errors.push({
          row,
          column: '',
          field: imp.kind === 'leads' ? 'fullName' : 'dealTitle',
          reason: imp.kind === 'leads' ? 'missing_identity' : 'missing_title',
        });
    }
    if (!result.errors.length) good.push({ result, record: r, givenId: chunk.ids?.[i] ?? null });
  });

  if (imp.kind === 'payments') {
    const plan = await planPayments({
      db,
      orgId: p.orgId,
      mode: imp.mode,
      mapping: imp.mapping,
      defaultCurrency: imp.options.defaultCurrency,
      rows: good,
      now,
    });
    plan.counts.error += results.length - good.length;
    return { results, statements: plan.statements, counts: plan.counts };
  }
  const counts = { created: 0, updated: 0, skipped: 0, error: results.length - good.length };
  const statements: D1PreparedStatement[] = [];
  const source = imp.options.source ?? 'excel';

  if (imp.kind === 'leads') {
    const keys: Key[] = [];
    for (const g of good) {
      if (g.record.email) keys.push(['email', g.record.email]);
      for (const ph of [g.record.phone, g.record.mobile]) if (ph) keys.push(['phone', ph]);
    }
    const [byKey, byId] = await Promise.all([
      imp.mode === 'create' ? Promise.resolve(new Map<string, string>()) : lookupKeys(db, p.orgId, 'lead', keys),
      loadByIds(
        db,
        p.orgId,
        'leads',
        good.flatMap((g) => (g.givenId ? [g.givenId] : [])),
        leads,
      ),
    ]);
    const matchedIds = good.map((g) => {
      if (g.givenId && byId.has(g.givenId)) return g.givenId;
      const k = [
        g.record.email && `email:${g.record.email}`,
        g.record.phone && `phone:${g.record.phone}`,
        g.record.mobile && `phone:${g.record.mobile}`,
      ].find((x) => x && byKey.has(x));
      return k ? byKey.get(k)! : null;
    });
    const toLoad = matchedIds.filter((x): x is string => !!x && !byId.has(x));
    const loaded = new Map([...byId, ...(await loadByIds(db, p.orgId, 'leads', toLoad, leads))]);
    const inserts: Rec[] = [];
    const updates: PlannedWrite[] = [];
    const seen = new Map<string, string>();
    good.forEach((g, i) => {
      const fields = leadFields(g.record, ownerOf(g.record.owner), source);
      const sameFile = [g.record.email && `email:${g.record.email}`, g.record.phone && `phone:${g.record.phone}`].find(
        (k) => k && seen.has(k),
      );
      const match = matchedIds[i] ? loaded.get(matchedIds[i]!) : undefined;
      if (match && (imp.mode === 'update' || (g.givenId && match.id === g.givenId && imp.mode !== 'skip'))) {
        if (updates.some((u) => u.after.id === match.id)) {
          g.result.status = 'skipped';
          g.result.id = match.id;
          counts.skipped++;
          return;
        }
        const next: Rec = { ...match, version: match.version + 1, updatedAt: now };
        set(next, fields);
        leads.spec.normalize?.(next, match, p);
        updates.push({ before: match, after: next });
        g.result.status = 'updated';
        g.result.id = match.id;
        counts.updated++;
      } else if (match && imp.mode === 'skip') {
        g.result.status = 'skipped';
        g.result.id = match.id;
        counts.skipped++;
      } else if (sameFile && imp.mode !== 'create') {
        g.result.status = 'skipped';
        g.result.id = seen.get(sameFile)!;
        counts.skipped++;
      } else {
        const rec: Rec = { id: newId(), version: 1, createdAt: now, updatedAt: now };
        for (const f of LEAD_FIELDS) rec[f] = null;
        set(rec, fields);
        rec.ownerId ??= p.userId;
        leads.spec.normalize?.(rec, null, p);
        inserts.push(rec);
        g.result.status = 'created';
        g.result.id = rec.id;
        counts.created++;
        for (const k of [g.record.email && `email:${g.record.email}`, g.record.phone && `phone:${g.record.phone}`])
          if (k) seen.set(k, rec.id);
      }
    });
    const { allowed } = await enforceWriteRules(
      db,
      p,
      'lead',
      [...inserts.map((after) => ({ before: null, after })), ...updates],
      rowsOfRecord(good),
      imp.mapping,
      counts,
    );
    statements.push(
      ...leads.bulkInsertStatements(
        db,
        p,
        allowed.filter((w) => !w.before).map((w) => w.after),
        now,
      ),
      ...leads.bulkUpdateStatements(
        db,
        p,
        allowed.filter((w) => w.before).map((w) => w.after),
        now,
      ),
    );
  } else {
    // Deals: matched by their Leadpane id; their companies by EIK, VAT or name, created when new.
    const byId = await loadByIds(
      db,
      p.orgId,
      'deals',
      good.flatMap((g) => (g.givenId ? [g.givenId] : [])),
      deals,
    );
    const companyKeys: Key[] = [];
    for (const g of good) {
      const eik = normalizeEik(g.record.eik);
      const vat = normalizeVat(g.record.vatNumber);
      if (eik) companyKeys.push(['eik', eik]);
      if (vat) companyKeys.push(['vat', vat]);
      if (g.record.company && companyKey(g.record.company)) companyKeys.push(['name', companyKey(g.record.company)]);
    }
    const knownCompanies = await lookupKeys(db, p.orgId, 'company', companyKeys);
    const newCompanies: Rec[] = [];
    const companyFor = (r: ImportRecord): string | null => {
      if (!r.company && !r.eik) return null;
      const eik = normalizeEik(r.eik);
      const vat = normalizeVat(r.vatNumber);
      const name = r.company ? companyKey(r.company) : '';
      const hit =
        (eik && knownCompanies.get(`eik:${eik}`)) ||
        (vat && knownCompanies.get(`vat:${vat}`)) ||
        (name && knownCompanies.get(`name:${name}`));
      if (hit) return hit;
      const rec: Rec = { id: newId(), version: 1, createdAt: now, updatedAt: now };
      for (const f of COMPANY_FIELDS) rec[f] = null;
      set(rec, { name: r.company ?? `EIK ${eik}`, eik, vat, website: r.website, city: r.city, address: r.address, ownerId: p.userId });
      companies.spec.normalize?.(rec, null, p);
      newCompanies.push(rec);
      for (const [k, v] of [
        ['eik', eik],
        ['vat', vat],
        ['name', name],
      ] as const)
        if (v) knownCompanies.set(`${k}:${v}`, rec.id);
      return rec.id;
    };
    const planned: Rec[] = [];
    const plannedUpdates: PlannedWrite[] = [];
    for (const g of good) {
      const r = g.record;
      const fields = {
        title: r.dealTitle ?? r.company ?? r.fullName,
        amountMinor: r.amount,
        currency: r.currency ?? imp.options.defaultCurrency,
        stage: r.stage,
        probability: r.probability,
        expectedClose: r.expectedCloseDate,
        ownerId: ownerOf(r.owner) ?? undefined,
        nextStep: r.notes,
      };
      const match = g.givenId ? byId.get(g.givenId) : undefined;
      if (match && imp.mode !== 'skip' && !plannedUpdates.some((u) => u.after.id === match.id)) {
        const next: Rec = { ...match, version: match.version + 1, updatedAt: now };
        set(next, fields);
        deals.spec.normalize?.(next, match, p);
        plannedUpdates.push({ before: match, after: next });
        g.result.status = 'updated';
        g.result.id = match.id;
        counts.updated++;
      } else if (match) {
        g.result.status = 'skipped';
        g.result.id = match.id;
        counts.skipped++;
      } else {
        const rec: Rec = { id: newId(), version: 1, createdAt: now, updatedAt: now };
        for (const f of DEAL_FIELDS) rec[f] = null;
        set(rec, fields);
        rec.companyId = companyFor(r);
        rec.ownerId ??= p.userId;
        deals.spec.normalize?.(rec, null, p);
        planned.push(rec);
        g.result.status = 'created';
        g.result.id = rec.id;
        counts.created++;
      }
    }
    const { allowed, historyWon } = await enforceWriteRules(
      db,
      p,
      'deal',
      [...planned.map((after) => ({ before: null, after })), ...plannedUpdates],
      rowsOfRecord(good),
      imp.mapping,
      counts,
    );
    const inserts = allowed.filter((w) => !w.before).map((w) => w.after);
    const updates = allowed.filter((w): w is { before: Rec; after: Rec } => !!w.before);
    // Companies are made only for the deals that are written.
    const companiesUsed = newCompanies.filter((co) => inserts.some((d) => d.companyId === co.id));
    const history = [
      ...inserts.map((d) => [newId(), d.id, null, d.stage, d.amountMinor, d.currency]),
      ...updates
        .filter((u) => u.before.stage !== u.after.stage || u.before.amountMinor !== u.after.amountMinor)
        .map((u) => [newId(), u.after.id, u.before.stage, u.after.stage, u.after.amountMinor, u.after.currency]),
    ];
    statements.push(
      ...companies.bulkInsertStatements(db, p, companiesUsed, now),
      ...deals.bulkInsertStatements(db, p, inserts, now),
      ...deals.bulkUpdateStatements(
        db,
        p,
        updates.map((u) => u.after),
        now,
      ),
    );
    if (history.length)
      statements.push(
        db
          .prepare(
            `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_by, changed_at)
             SELECT value ->> 0, ?1, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ?2, ?3 FROM json_each(?4)`,
          )
          .bind(p.orgId, p.userId, now, json(history)),
      );
    if (historyWon.length)
      statements.push(
        auditStatement(db, p, 'override', 'import', imp.id, {
          rule: WON_RULE,
          reason: 'Deals imported as won are history from the sheet, not wins made in Leadpane',
          deals: historyWon,
        }),
      );
  }
  return { results, statements, counts };
}

/** The row results that name each record, so a rule can turn all of them into errors. */
function rowsOfRecord(good: { result: ImportRowResult }[]): (id: string) => ImportRowResult[] {
  const byId = new Map<string, ImportRowResult[]>();
  for (const { result } of good) if (result.id) byId.set(result.id, [...(byId.get(result.id) ?? []), result]);
  return (id) => byId.get(id) ?? [];
}
