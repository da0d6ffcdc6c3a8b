import { SECTION_KEYS } from '../../shared/report/definitions';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import { newId } from '../../worker/lib/ids';
import { unzip } from '../helpers/zip';
import { makeOrg, type Member } from './harness';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const at = (day: string) => `${day}T10:00:00.000Z`;

/** A week with one won and one lost deal, the lost one carrying hostile text from a user. */
async function seed(lostReason: string, competitor: string) {
  const org = await makeOrg('Фирма ООД');
  const o = org.orgId;
  const won = newId();
  const lost = newId();
  const s = [
    env.DB.prepare(
      `INSERT INTO deals (id, org_id, title, amount_minor, currency, stage, probability, owner_id, name_key, created_at, updated_at) VALUES (?1, ?2, 'Won', 120000, 'BGN', 'won', 100, ?3, 'won', ?4, ?4)`,
    ).bind(won, o, org.manager.userId, at('2026-11-02')),
    env.DB.prepare(
      `INSERT INTO deals (id, org_id, title, amount_minor, currency, stage, probability, owner_id, lost_reason, competitor, name_key, created_at, updated_at) VALUES (?1, ?2, 'Lost', 50050, 'BGN', 'lost', 0, ?3, ?4, ?5, 'lost', ?6, ?6)`,
    ).bind(lost, o, org.manager.userId, lostReason, competitor, at('2026-11-17')),
    ...[
      [won, null, 'new', 120000, at('2026-11-02')],
      [won, 'new', 'won', 120000, at('2026-11-19')],
      [lost, null, 'new', 50050, at('2026-11-17')],
      [lost, 'new', 'lost', 50050, at('2026-11-21')],
    ].map(([deal, from, to, amount, when]) =>
      env.DB.prepare(
        `INSERT INTO deal_stage_history (id, org_id, deal_id, from_stage, to_stage, amount_minor, currency, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'BGN', ?7)`,
      ).bind(newId(), o, deal, from, to, amount, when),
    ),
  ];
  await env.DB.batch(s);
  return org;
}

/** Calls the app and keeps the body as bytes (the harness decodes bodies as text). */
async function getBytes(who: Member, path: string) {
  const res = await app.request(path, { headers: { authorization: `Bearer ${who.token}` } }, env);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('the weekly report as xlsx', () => {
  it('get /api/v1/reports/weekly?format=xlsx answers a zip workbook with the xlsx type and file name', async () => {
    const org = await seed('Цена', 'Pipedrive');
    const { res, bytes } = await getBytes(org.head, '/api/v1/reports/weekly?week=2026-W47&format=xlsx&lang=bg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="leadpane-weekly-2026-W47.xlsx"');
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]); // "PK\3\4"

    const zipped = await unzip(bytes);
    // Compressed in workerd (CompressionStream 'deflate-raw'): every sizeable part is deflated.
    for (const [name, p] of zipped) if (p.text.length > 1000) expect(p.method, name).toBe(8);
    const parts = new Map([...zipped].map(([k, v]) => [k, v.text]));
    expect(parts.has('[Content_Types].xml')).toBe(true);
    expect(parts.get('xl/workbook.xml')).toContain('<sheet name="Обобщение"');
    // Summary + one sheet per section, each a table.
    expect([...parts.keys()].filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))).toHaveLength(1 + SECTION_KEYS.length);
    expect([...parts.keys()].filter((k) => k.startsWith('xl/tables/'))).toHaveLength(1 + SECTION_KEYS.length);
    expect(parts.get('xl/sharedStrings.xml')).toContain('Организация: Фирма ООД');

    // Won and lost: money in major units, totals as formulas without cached values.
    const wonLost = [...parts.entries()].find(([k, v]) => k.startsWith('xl/tables/') && v.includes('name="wonLost"'))!;
    const n = wonLost[0].match(/table(\d+)\.xml/)![1];
    const sheet = parts.get(`xl/worksheets/sheet${n}.xml`)!;
    expect(sheet).toContain('<v>1200</v>');
    expect(sheet).toContain('<v>500.5</v>');
    expect(sheet).toMatch(/<c r="C4" s="\d+"><f>SUBTOTAL\(109,wonLost\[\[Сделки\]\]\)<\/f><\/c>/);
    expect(sheet).toMatch(/<c r="D4" s="\d+"><f>SUBTOTAL\(109,wonLost\[\[Стойност\]\]\)<\/f><\/c>/);
  });

  it('escapes formula-like text from the data: it is a string cell, never a formula', async () => {
    const org = await seed('=HYPERLINK("http://x","click")', '+cmd|calc');
    const { res, bytes } = await getBytes(org.head, '/api/v1/reports/weekly?week=2026-W47&format=xlsx');
    expect(res.status).toBe(200);
    const parts = new Map([...(await unzip(bytes))].map(([k, v]) => [k, v.text]));
    const strings = parts.get('xl/sharedStrings.xml')!;
    expect(strings).toContain(`<t>'=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)</t>`);
    expect(strings).toContain(`<t>'+cmd|calc</t>`);
    expect(strings).not.toMatch(/<t[^>]*>[=+\-@]/);
    for (const [name, xml] of parts) {
      if (!name.startsWith('xl/worksheets/sheet')) continue;
      expect(xml).not.toContain('HYPERLINK');
      for (const f of xml.matchAll(/<f>(.*?)<\/f>/g)) expect(f[1]).toMatch(/^SUBTOTAL\(109,\w+\[\[[^\]]+\]\]\)$/);
    }
  });

  it('answers problem+json, not a workbook, when the scope is not allowed', async () => {
    const org = await makeOrg();
    const { res, bytes } = await getBytes(org.manager, '/api/v1/reports/weekly?week=2026-W47&format=xlsx');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.parse(new TextDecoder().decode(bytes)).status).toBe(403);
  });
});
