import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractLead, parseEml, parseTextMessage, type EmailInput, type Extraction } from '../../../shared/email';

// Golden files, one per mail client and language, indexed by test/fixtures/email/manifest.json.
const dir = fileURLToPath(new URL('../../fixtures/email/', import.meta.url));

interface Expected {
  client: string;
  kind?: string;
  lead: Record<string, string | string[] | null>;
  extensions?: Record<string, string>;
  kinds?: Record<string, string>;
  newMessage?: string;
  newMessageStartsWith?: string;
  newMessageEndsWith?: string;
  newMessageExcludes?: string[];
  signature?: string | null;
}
const manifest = JSON.parse(readFileSync(dir + 'manifest.json', 'utf8')) as Record<string, Expected>;

async function load(file: string): Promise<EmailInput> {
  const raw = readFileSync(dir + file);
  return file.endsWith('.eml') ? parseEml(new Uint8Array(raw)) : parseTextMessage(raw.toString('utf8'));
}

function value(x: Extraction, key: string): string | string[] | null {
  const lead = x.lead as unknown as Record<string, { value: string } | { value: string }[] | null>;
  const f = lead[key];
  if (Array.isArray(f)) return f.map((p) => p.value);
  return f?.value ?? null;
}

describe.each(Object.entries(manifest))('%s', (file, exp) => {
  it(`extracts the lead fields of a ${exp.client} mail`, async () => {
    const x = extractLead(await load(file));
    for (const [key, want] of Object.entries(exp.lead)) expect({ [key]: value(x, key) }).toEqual({ [key]: want });
    if (exp.kind) expect(x.kind).toBe(exp.kind);
    for (const [num, ext] of Object.entries(exp.extensions ?? {})) expect(x.lead.phones.find((p) => p.value === num)?.ext).toBe(ext);
    for (const [num, kind] of Object.entries(exp.kinds ?? {})) expect(x.lead.phones.find((p) => p.value === num)?.kind).toBe(kind);
  });

  it(`separates the newest message of a ${exp.client} mail from its history`, async () => {
    const x = extractLead(await load(file));
    if (exp.newMessage !== undefined) expect(x.newMessage).toBe(exp.newMessage);
    if (exp.newMessageStartsWith) expect(x.newMessage.startsWith(exp.newMessageStartsWith)).toBe(true);
    if (exp.newMessageEndsWith) expect(x.newMessage.endsWith(exp.newMessageEndsWith)).toBe(true);
    for (const s of exp.newMessageExcludes ?? []) expect(x.newMessage).not.toContain(s);
    if (exp.signature !== undefined) expect(x.signature).toBe(exp.signature);
  });

  it(`gives every extracted field of a ${exp.client} mail a confidence between 0 and 1`, async () => {
    const x = extractLead(await load(file));
    for (const f of Object.values(x.lead).flat()) {
      if (f && typeof f === 'object' && 'confidence' in f) {
        expect(f.confidence).toBeGreaterThan(0);
        expect(f.confidence).toBeLessThanOrEqual(1);
      }
    }
  });
});
