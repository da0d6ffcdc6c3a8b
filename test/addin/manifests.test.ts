// The add-in manifests, offline: they parse, ids are GUIDs, every resource id resolves, every URL
// names a file of the build, and the deploy copies point at the deploy origin only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_ORIGIN, writeManifests } from '../../scripts/manifests';
import { ensureAddinBuilt, REPO } from './helpers/build';

const MANIFESTS = ['manifest.xml', 'manifest.outlook.xml'] as const;
const CLI = resolve(REPO, 'node_modules/.bin/office-addin-manifest');
const CONVERTER = resolve(REPO, 'node_modules/office-addin-manifest-converter');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const read = (name: string) => readFileSync(resolve(REPO, name), 'utf8');
const withoutComments = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, '');
const all = (xml: string, pattern: RegExp) => [...withoutComments(xml).matchAll(pattern)].map((m) => m[1]!);

function info(file: string) {
  return spawnSync(CLI, ['info', file], { encoding: 'utf8', env: { ...process.env, OFFICE_ADDIN_USAGE_DATA_OPT_IN: 'false' } });
}

let dist: string;
beforeAll(() => {
  dist = ensureAddinBuilt();
});

describe.each(MANIFESTS)('%s', (name) => {
  const xml = read(name);

  it('parses with office-addin-manifest info', () => {
    const result = info(resolve(REPO, name));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Id: [0-9a-f-]{36}/);
  });

  it('has a GUID for its id', () => {
    expect(all(xml, /<Id>([^<]+)<\/Id>/g)).toEqual([expect.stringMatching(GUID)]);
  });

  it('resolves every resource id, each defined once and at most 32 characters long', () => {
    const defined = all(xml, /<bt:(?:Image|Url|String) id="([^"]+)"/g);
    expect(new Set(defined).size).toBe(defined.length);
    const used = new Set(all(xml, /resid="([^"]+)"/g));
    expect(used.size).toBeGreaterThan(0);
    for (const id of used) {
      expect(defined, `resid ${id}`).toContain(id);
      expect(id.length).toBeLessThanOrEqual(32);
    }
    // A resource nobody uses is a typo somewhere.
    for (const id of defined) expect([...used], `unused ${id}`).toContain(id);
  });

  it('names only URLs that exist in the build output, and only on its AppDomain', () => {
    const urls = all(xml, /"(https:\/\/[^"]+)"/g);
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) {
      expect(url.startsWith(`${DEV_ORIGIN}/`), url).toBe(true);
      const path = new URL(url).pathname;
      expect(existsSync(join(dist, path)), `${path} in dist/addin`).toBe(true);
    }
    expect(all(xml, /<AppDomain>([^<]+)<\/AppDomain>/g)).toEqual([DEV_ORIGIN]);
  });
});

describe('manifest.xml (Excel)', () => {
  const xml = withoutComments(read('manifest.xml'));

  it('runs the pane, the ribbon and the custom functions on one shared runtime', () => {
    expect(xml).toContain('<Set Name="SharedRuntime" MinVersion="1.1"/>');
    expect(xml).toContain('<Runtime resid="Taskpane.Url" lifetime="long"/>');
    expect(xml).toMatch(/<Page>\s*<SourceLocation resid="Taskpane.Url"\/>\s*<\/Page>/);
    expect(xml).toContain('<FunctionFile resid="Taskpane.Url"/>');
    expect(xml).toMatch(/<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="Taskpane.Url"\/>/);
    expect(xml).toContain('<bt:String id="Functions.Namespace" DefaultValue="LEADPANE"/>');
  });

  it('points the functions metadata at a file whose ids the build ships', () => {
    const metadata = JSON.parse(readFileSync(join(dist, 'functions/functions.json'), 'utf8')) as { functions: Array<{ id: string }> };
    expect(metadata.functions.map((f) => f.id)).toEqual(['PIPELINE', 'WON', 'QUOTA', 'REPORT']);
  });
});

describe('manifest.outlook.xml (Outlook)', () => {
  const xml = withoutComments(read('manifest.outlook.xml'));

  it('adds a pinnable pane to the message read surface and needs Mailbox 1.5', () => {
    expect(xml).toContain('xsi:type="MailApp"');
    expect(xml).toContain('<ExtensionPoint xsi:type="MessageReadCommandSurface">');
    expect(xml).toContain('<SupportsPinning>true</SupportsPinning>');
    expect(xml).toMatch(/<bt:Sets DefaultMinVersion="1.5">\s*<bt:Set Name="Mailbox"\/>/);
  });

  it('has an id of its own', () => {
    expect(all(xml, /<Id>([^<]+)<\/Id>/g)[0]).not.toBe(all(read('manifest.xml'), /<Id>([^<]+)<\/Id>/g)[0]);
  });
});

describe('scripts/manifests.ts', () => {
  it('writes deploy copies whose every URL and AppDomain use the given origin', () => {
    const out = mkdtempSync(join(tmpdir(), 'leadpane-manifests-'));
    const files = writeManifests('https://crm.example.com', out);
    expect(readdirSync(out).sort()).toEqual(['manifest.outlook.xml', 'manifest.xml']);
    for (const file of files) {
      const xml = readFileSync(file, 'utf8');
      expect(xml).not.toContain('localhost');
      expect(all(xml, /<AppDomain>([^<]+)<\/AppDomain>/g)).toEqual(['https://crm.example.com']);
      expect(info(file).status).toBe(0);
    }
  });

  it('refuses an origin that is not https or carries a path', () => {
    const out = mkdtempSync(join(tmpdir(), 'leadpane-manifests-'));
    expect(() => writeManifests('http://crm.example.com', out)).toThrow(/https/);
    expect(() => writeManifests('https://crm.example.com/app', out)).toThrow(/without a path/);
  });
});

// office-addin-manifest-converter (XML -> unified JSON) is not installed in this repository, so
// this check only runs where someone has it. It supports Outlook mail add-ins; Excel task-pane
// add-ins with custom functions have no unified-manifest equivalent it converts.
describe.skipIf(!existsSync(CONVERTER))('unified manifest (office-addin-manifest-converter)', () => {
  it('converts manifest.outlook.xml and validates the result against the bundled schema', async () => {
    const out = mkdtempSync(join(tmpdir(), 'leadpane-unified-'));
    const run = spawnSync(
      resolve(REPO, 'node_modules/.bin/office-addin-manifest-converter'),
      ['convert', resolve(REPO, 'manifest.outlook.xml'), '-o', out],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { manifestVersion: string };
    const schema = JSON.parse(
      readFileSync(
        resolve(
          REPO,
          `node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
        ),
        'utf8',
      ),
    );
    const { ManifestUtil } = (await import('@microsoft/app-manifest' as string)) as {
      ManifestUtil: { validateManifestAgainstSchema(m: unknown, s: unknown): Promise<string[]> };
    };
    expect(await ManifestUtil.validateManifestAgainstSchema(manifest, schema)).toEqual([]);
  });
});
