import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = 'test/fixtures/email/';

function extract(...files: string[]): { code: number | null; lines: Record<string, unknown>[]; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/leadpane.js', 'extract', ...files], { cwd: root, encoding: 'utf8' });
  const lines = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.status, lines, stderr: r.stderr };
}

describe('leadpane extract', () => {
  it('prints one JSON line per file with the lead, the newest message and the signature', () => {
    const r = extract(fixtures + 'outlook-desktop-bg.eml', fixtures + 'mailru-ru.txt');
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(2);
    const [bg, ru] = r.lines as { file: string; lead: Record<string, unknown>; newMessage: string; signature: string | null }[];
    expect(bg!.file).toBe(fixtures + 'outlook-desktop-bg.eml');
    expect(Object.keys(bg!.lead).sort()).toEqual(
      [
        'address',
        'city',
        'company',
        'eik',
        'email',
        'fax',
        'firstName',
        'fullName',
        'lastName',
        'middleName',
        'phones',
        'title',
        'vat',
        'website',
      ].sort(),
    );
    expect(bg!.lead).toMatchObject({
      fullName: 'Георги Тодоров',
      company: 'Медика Фарм ЕАД',
      phones: ['+35929812345', '+359888123456'],
      fax: ['+35929812346'],
      eik: '130460283',
      vat: null,
      website: null,
    });
    expect(bg!.newMessage).not.toContain('Изпратено:');
    expect(bg!.newMessage).not.toContain('С уважение,');
    expect(bg!.signature).toMatch(/^С уважение,/);
    expect(ru!.lead).toMatchObject({
      firstName: 'Сергей',
      middleName: 'Александрович',
      lastName: 'Смирнов',
      phones: ['+74951234567', '+79123456789'],
    });
  });

  it('reads a windows-1251 .eml with its Bulgarian signature', () => {
    const [line] = extract(fixtures + 'windows-1251-bg.eml').lines as { lead: Record<string, unknown> }[];
    expect(line!.lead).toMatchObject({
      fullName: 'Красимира Петкова',
      company: 'Пакет Про ООД',
      eik: '831642181',
      website: 'paketpro.bg',
    });
  });

  it('prints a company guessed from the mail domain apart, under suggestions, and leaves lead.company and lead.website empty', () => {
    const [line] = extract(fixtures + 'conventions/domain-only.txt').lines as {
      lead: Record<string, unknown>;
      suggestions?: Record<string, unknown>;
    }[];
    expect(line!.lead).toMatchObject({ company: null, website: null, middleName: null });
    expect(line!.suggestions).toEqual({ company: 'Tehnomarket-m' });
    const [signed] = extract(fixtures + 'conventions/signature-company-not-domain.txt').lines as { suggestions?: unknown }[];
    expect(signed).not.toHaveProperty('suggestions');
  });

  it('reports a missing file on stderr, exits 1 and still processes the other files', () => {
    const r = extract(fixtures + 'does-not-exist.eml', fixtures + 'webform.txt');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does-not-exist.eml');
    expect(r.lines).toHaveLength(1);
    expect((r.lines[0] as { lead: { fullName: string } }).lead.fullName).toBe('Димитър Николов');
  });
});
