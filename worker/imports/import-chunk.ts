import type { z } from 'zod';
import { companyKey, nameKey, normalizeEik, normalizeVat } from '../../shared/identity';
import type { ImportChunk, ImportMatch, ImportRowResult } from '../../shared/schemas';
import {
  createRowConverter,
  inferSheetContext,
  nonDataRows,
  type HeaderMapping,
  type ImportKind,
  type ImportRecord,
  type SourceSystem,
  type ValueMaps,
} from '../../shared/sheet';
import { changedDealHistory, lastChanges, newDealHistory, historyStatements, type HistoryRow } from './deal-history';
import { dealsByCompanyTitle, linkExternalIds, lookupExternalIds } from './external-ids';
import { lookupKeys, type Key } from './identity-lookup';
import { orgUsers, ownerResolver } from './value-maps';
import { planPayments } from './import-payments';
import { companies } from '../companies/companies.repo';
import { deals } from '../deals/deals.repo';
import { leads } from '../leads/leads.repo';
import type { Rec } from '../records/spec';
import type { Principal } from '../http/env';
import { newId } from '../lib/ids';
import { auditStatement } from '../lib/audit';
import { WON_RULE } from '../rules/won-needs-documents';
import { enforceWriteRules, type PlannedWrite } from './import-rules';

const LEAD_FIELDS = Object.keys(leads.spec.fields);
/**
 * The cells a deal is made of: one of them unreadable refuses the row. A deals export's contact
 * phone or e-mail is not stored with the deal, so a number Leadpane cannot read costs the deal nothing.
 */
const DEAL_CELLS = new Set<string>(['amount', 'currency', 'stage', 'status', 'probability', 'expectedCloseDate', 'createdAt']);
const DEAL_FIELDS = Object.keys(deals.spec.fields);
const COMPANY_FIELDS = Object.keys(companies.spec.fields);

export interface ImportRow {
  id: string;
  kind: ImportKind;
  mode: 'create' | 'update' | 'skip';
  mapping: HeaderMapping;
  options: {
    defaultCountry?: string;
    defaultCurrency?: string;
    dateOrder?: 'DMY' | 'MDY';
    source?: string;
    system?: SourceSystem;
    sheetCountry?: string | null;
    sheetCountries?: string[];
    values?: ValueMaps;
  };
}

export interface ChunkPlan {
  results: ImportRowResult[];
  statements: D1PreparedStatement[];
  counts: { created: number; updated: number; skipped: number; error: number };
}

const json = JSON.stringify;

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

/** Whether an update would change any of the record's own fields (else the row only matched it). */
const changes = (fields: string[], before: Rec, after: Rec) =>
  fields.some((f) => JSON.stringify(after[f] ?? null) !== JSON.stringify(before[f] ?? null));

/** The start of a sheet's created date (UTC), never later than now. */
const createdFrom = (date: string | undefined, now: string) => (date && `${date}T00:00:00.000Z` < now ? `${date}T00:00:00.000Z` : now);

const withExt = (e164: string, ext: string | undefined) => (ext ? `${e164} ext. ${ext}` : e164);

function leadFields(r: ImportRecord, owner: string | null, source: string): Record<string, unknown> {
  return {
    source: r.source && ['email', 'excel', 'webform', 'manual', 'call'].includes(r.source) ? r.source : source,
    status: r.status,
    fullName: r.fullName ?? ([r.firstName, r.lastName].filter(Boolean).join(' ') || undefined),
    firstName: r.firstName,
    lastName: r.lastName,
    email: r.email,
    // The extension stays beside the number ("+78433013249 ext. 215"): the lead is keyed on the E.164 part.
    phone: r.phone ? withExt(r.phone, r.phoneExt) : r.mobile ? withExt(r.mobile, r.mobileExt) : undefined,
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
  const system = imp.options.system ?? 'other';
  // The users are read only when a column names owners: one D1 round trip less per chunk otherwise.
  // The organisation's country, currency and value choices were fixed on the import when it began.
  const namesOwners = imp.kind !== 'payments' && imp.mapping.columns.some((c) => c.field === 'owner');
  const users = namesOwners ? await orgUsers(db, p.orgId) : [];
  const values = imp.options.values ?? {};
  const ownerOf = namesOwners ? ownerResolver(users, values.owner) : () => null;
  const reading = readingOptions(imp, chunk.rows);
  const convert = createRowConverter(imp.mapping, { ...reading, kind: imp.kind, system, values });
  // Totals, folders and a report's footer are not records: neither imported nor refused.
  const notRecords = nonDataRows(chunk.rows, { ...imp.mapping, headerRow: -1 });
  const results: ImportRowResult[] = [];
  const good: { result: ImportRowResult; record: ImportRecord; givenId: string | null }[] = [];
  chunk.rows.forEach((cells, i) => {
    if (notRecords.has(i)) return;
    const row = chunk.firstRow + i;
    const converted = convert(cells, row);
    if (converted.empty) return;
    const result: ImportRowResult = {
      row,
      status: 'error',
      id: null,
      errors: converted.errors
        .filter((e) => imp.kind !== 'deals' || DEAL_CELLS.has(e.field))
        .map((e) => ({ row: e.row, column: e.column, field: e.field, reason: e.reason, value: e.value })),
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
    // Leads: matched by their Leadpane id, their source ID, then e-mail or phone.
    const keys: Key[] = [];
    for (const g of good) {
      if (g.record.email) keys.push(['email', g.record.email]);
      for (const ph of [g.record.phone, g.record.mobile]) if (ph) keys.push(['phone', ph]);
    }
    const externalIds = good.flatMap((g) => (g.record.externalId ? [g.record.externalId] : []));
    const [byKey, byId, byExternal] = await Promise.all([
      imp.mode === 'create' ? Promise.resolve(new Map<string, string>()) : lookupKeys(db, p.orgId, 'lead', keys),
      loadByIds(
        db,
        p.orgId,
        'leads',
        good.flatMap((g) => (g.givenId ? [g.givenId] : [])),
        leads,
      ),
      lookupExternalIds(db, p.orgId, system, 'lead', externalIds),
    ]);
    const matches = good.map((g): { id: string; how: ImportMatch } | null => {
      if (g.givenId && byId.has(g.givenId)) return { id: g.givenId, how: 'id' };
      const ext = g.record.externalId && byExternal.get(g.record.externalId);
      if (ext) return { id: ext, how: 'externalId' };
      const k = [
        g.record.email && `email:${g.record.email}`,
        g.record.phone && `phone:${g.record.phone}`,
        g.record.mobile && `phone:${g.record.mobile}`,
      ].find((x) => x && byKey.has(x));
      return k ? { id: byKey.get(k)!, how: k.startsWith('email') ? 'email' : 'phone' } : null;
    });
    const toLoad = matches.flatMap((m) => (m && !byId.has(m.id) ? [m.id] : []));
    const loaded = new Map([...byId, ...(await loadByIds(db, p.orgId, 'leads', toLoad, leads))]);
    const inserts: Rec[] = [];
    const updates: PlannedWrite[] = [];
    const links: [string, string][] = [];
    const seen = new Map<string, string>();
    good.forEach((g, i) => {
      const fields = leadFields(g.record, ownerOf(g.record.owner), source);
      const ext = g.record.externalId ? `ext:${g.record.externalId}` : '';
      const sameFile = [ext, g.record.email && `email:${g.record.email}`, g.record.phone && `phone:${g.record.phone}`].find(
        (k) => k && seen.has(k),
      );
      const m = matches[i];
      const match = m ? loaded.get(m.id) : undefined;
      // A source ID always finds its record: a later export of the same system updates or skips it.
      const byItsId = m?.how === 'externalId';
      if (m && !match && byItsId) {
        // Deleted in Leadpane since: the export does not bring it back.
        g.result.status = 'skipped';
        g.result.id = m.id;
        g.result.match = m.how;
        counts.skipped++;
      } else if (
        match &&
        (imp.mode === 'update' || (byItsId && imp.mode === 'create') || (g.givenId && match.id === g.givenId && imp.mode !== 'skip'))
      ) {
        g.result.id = match.id;
        g.result.match = m!.how;
        if (updates.some((u) => u.after.id === match.id)) {
          g.result.status = 'skipped';
          counts.skipped++;
          return;
        }
        const next: Rec = { ...match, version: match.version + 1, updatedAt: now };
        set(next, fields);
        leads.spec.normalize?.(next, match, p);
        if (!changes(LEAD_FIELDS, match, next)) {
          g.result.status = 'skipped';
          counts.skipped++;
          return;
        }
        updates.push({ before: match, after: next });
        g.result.status = 'updated';
        counts.updated++;
      } else if (match && (imp.mode === 'skip' || byItsId)) {
        g.result.status = 'skipped';
        g.result.id = match.id;
        g.result.match = m!.how;
        counts.skipped++;
      } else if (sameFile && (imp.mode !== 'create' || sameFile === ext)) {
        g.result.status = 'skipped';
        g.result.id = seen.get(sameFile)!;
        g.result.match = sameFile === ext ? 'externalId' : sameFile.startsWith('email') ? 'email' : 'phone';
        counts.skipped++;
      } else {
        const rec: Rec = { id: newId(), version: 1, createdAt: createdFrom(g.record.createdAt, now), updatedAt: now };
        for (const f of LEAD_FIELDS) rec[f] = null;
        set(rec, fields);
        rec.ownerId ??= p.userId;
        leads.spec.normalize?.(rec, null, p);
        inserts.push(rec);
        g.result.status = 'created';
        g.result.id = rec.id;
        counts.created++;
        if (g.record.externalId) links.push([g.record.externalId, rec.id]);
        for (const k of [ext, g.record.email && `email:${g.record.email}`, g.record.phone && `phone:${g.record.phone}`])
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
    const created = new Set(allowed.filter((w) => !w.before).map((w) => w.after.id));
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
      ...linkExternalIds(
        db,
        p.orgId,
        system,
        'lead',
        links.filter(([, id]) => created.has(id)),
        imp.id,
        now,
      ),
    );
  } else {
    // Deals: matched by their Leadpane id, their source ID, or (a sheet without IDs) the same title
    // at the same company; their companies by EIK, VAT or name, created when new.
    const externalIds = good.flatMap((g) => (g.record.externalId ? [g.record.externalId] : []));
    const [byId, byExternal] = await Promise.all([
      loadByIds(
        db,
        p.orgId,
        'deals',
        good.flatMap((g) => (g.givenId ? [g.givenId] : [])),
        deals,
      ),
      lookupExternalIds(db, p.orgId, system, 'deal', externalIds),
    ]);
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
    const titleOf = (r: ImportRecord) => r.dealTitle ?? r.company ?? r.fullName;
    // The company a row names, if Leadpane knows it already (a new company has no deals to match).
    const knownCompanyOf = (r: ImportRecord): string | null => {
      const eik = normalizeEik(r.eik);
      const vat = normalizeVat(r.vatNumber);
      const name = r.company ? companyKey(r.company) : '';
      return (
        (eik && knownCompanies.get(`eik:${eik}`)) ||
        (vat && knownCompanies.get(`vat:${vat}`)) ||
        (name && knownCompanies.get(`name:${name}`)) ||
        null
      );
    };
    const byName =
      imp.mode === 'create'
        ? new Map<string, string>()
        : await dealsByCompanyTitle(
            db,
            p.orgId,
            good.flatMap((g) => {
              const company = !g.record.externalId && knownCompanyOf(g.record);
              return company ? [[company, nameKey(titleOf(g.record))] as [string, string]] : [];
            }),
          );
    const matches = good.map((g): { id: string; how: ImportMatch } | null => {
      if (g.givenId && byId.has(g.givenId)) return { id: g.givenId, how: 'id' };
      const r = g.record;
      if (r.externalId) {
        const id = byExternal.get(r.externalId);
        return id ? { id, how: 'externalId' } : null;
      }
      const company = knownCompanyOf(r);
      const id = company && byName.get(`${company}|${nameKey(titleOf(r))}`);
      return id ? { id, how: 'name' } : null;
    });
    const toLoad = matches.flatMap((m) => (m && !byId.has(m.id) ? [m.id] : []));
    const loaded = new Map([...byId, ...(await loadByIds(db, p.orgId, 'deals', toLoad, deals))]);
    const planned: Rec[] = [];
    const plannedUpdates: PlannedWrite[] = [];
    const sheetRecord = new Map<string, ImportRecord>();
    const seen = new Map<string, string>();
    for (const [i, g] of good.entries()) {
      const r = g.record;
      const fields = {
        title: titleOf(r),
        amountMinor: r.amount,
        currency: r.currency ?? reading.defaultCurrency ?? undefined,
        stage: r.stage,
        probability: r.probability,
        expectedClose: r.expectedCloseDate,
        ownerId: ownerOf(r.owner) ?? undefined,
        nextStep: r.notes,
      };
      const m = matches[i];
      const match = m ? loaded.get(m.id) : undefined;
      // The same deal twice in one sheet: by its source ID, else by company and title.
      const twinKey = r.externalId
        ? `ext:${r.externalId}`
        : `name:${normalizeEik(r.eik) ?? companyKey(r.company ?? '')}|${nameKey(titleOf(r))}`;
      const twin = !match && seen.get(twinKey);
      const result = g.result;
      if (m) {
        result.id = m.id;
        result.match = m.how;
      }
      if (m && !match) {
        // Deleted in Leadpane since: the export does not bring it back.
        result.status = 'skipped';
        counts.skipped++;
      } else if (match && imp.mode !== 'skip' && !plannedUpdates.some((u) => u.after.id === match.id)) {
        const next: Rec = { ...match, version: match.version + 1, updatedAt: now };
        set(next, fields);
        deals.spec.normalize?.(next, match, p);
        if (!changes(DEAL_FIELDS, match, next)) {
          result.status = 'skipped';
          counts.skipped++;
          continue;
        }
        plannedUpdates.push({ before: match, after: next });
        sheetRecord.set(match.id, r);
        result.status = 'updated';
        counts.updated++;
      } else if (match) {
        result.status = 'skipped';
        counts.skipped++;
      } else if (twin && (imp.mode !== 'create' || r.externalId)) {
        result.status = 'skipped';
        result.id = twin;
        result.match = r.externalId ? 'externalId' : 'name';
        counts.skipped++;
      } else {
        const rec: Rec = { id: newId(), version: 1, createdAt: now, updatedAt: now };
        for (const f of DEAL_FIELDS) rec[f] = null;
        set(rec, fields);
        rec.companyId = companyFor(r);
        rec.ownerId ??= p.userId;
        deals.spec.normalize?.(rec, null, p);
        planned.push(rec);
        sheetRecord.set(rec.id, r);
        seen.set(twinKey, rec.id);
        result.status = 'created';
        result.id = rec.id;
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
    // History on the sheet's dates: created, then won or lost when the sheet says (a backfill).
    const last = await lastChanges(
      db,
      p.orgId,
      updates.filter((u) => u.before.stage !== u.after.stage).map((u) => u.after.id),
    );
    const history: HistoryRow[] = [
      ...inserts.flatMap((d) => newDealHistory(d, sheetRecord.get(d.id)!, now)),
      ...updates.flatMap((u) => changedDealHistory(u.before, u.after, sheetRecord.get(u.after.id)!, last.get(u.after.id), now)),
    ];
    const links = inserts.flatMap((d): [string, string][] => {
      const ext = sheetRecord.get(d.id)!.externalId;
      return ext ? [[ext, d.id]] : [];
    });
    statements.push(
      ...companies.bulkInsertStatements(db, p, companiesUsed, now),
      ...deals.bulkInsertStatements(db, p, inserts, now),
      ...deals.bulkUpdateStatements(
        db,
        p,
        updates.map((u) => u.after),
        now,
      ),
      ...linkExternalIds(db, p.orgId, system, 'deal', links, imp.id, now),
      ...historyStatements(db, p.orgId, p.userId, imp.id, history, now),
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

/**
 * How this chunk's rows are read: the import's country and currency (the organisation's, unless the
 * import named its own); the sheet-wide facts the client measured on the whole sheet (country,
 * date order), else the chunk's own.
 */
function readingOptions(imp: ImportRow, rows: z.output<typeof ImportChunk>['rows']) {
  const given = imp.options.sheetCountry !== undefined || imp.options.dateOrder !== undefined;
  const own = given ? null : inferSheetContext(rows, { ...imp.mapping, headerRow: -1 });
  return {
    defaultCountry: imp.options.defaultCountry ?? null,
    // The currency of amounts that name none is the organisation's choice, never a guess here
    // (the pane and the CLI offer the sheet's country's currency for the user to confirm).
    defaultCurrency: imp.options.defaultCurrency ?? null,
    sheetCountry: imp.options.sheetCountry ?? own?.country ?? null,
    sheetCountries: imp.options.sheetCountries ?? own?.countries ?? [],
    dateOrder: imp.options.dateOrder ?? own?.dateOrder ?? 'DMY',
  };
}

/** The row results that name each record, so a rule can turn all of them into errors. */
function rowsOfRecord(good: { result: ImportRowResult }[]): (id: string) => ImportRowResult[] {
  const byId = new Map<string, ImportRowResult[]>();
  for (const { result } of good) if (result.id) byId.set(result.id, [...(byId.get(result.id) ?? []), result]);
  return (id) => byId.get(id) ?? [];
}
