// Deploy-ready add-in manifests: copies of manifest.xml and manifest.outlook.xml whose URLs and
// AppDomain point at the deployed Worker instead of wrangler dev.
//
//   npx tsx scripts/manifests.ts --origin https://crm.example.com [--out dist/manifests]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The origin the committed manifests use (wrangler dev). */
export const DEV_ORIGIN = 'https://localhost:8787';
export const MANIFESTS = ['manifest.xml', 'manifest.outlook.xml'] as const;

/** Checks and normalises an origin: https, no path, query or credentials. */
export function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Not a URL: ${value}`);
  }
  if (url.protocol !== 'https:') throw new Error(`Office loads add-ins over https only: ${value}`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error(`Give an origin without a path, e.g. https://crm.example.com (got ${value})`);
  }
  return url.origin;
}

/** Every occurrence of the dev origin, in URLs and AppDomain alike, becomes `origin`. */
export function rewriteManifest(xml: string, origin: string): string {
  return xml.split(DEV_ORIGIN).join(parseOrigin(origin));
}

export function writeManifests(origin: string, outDir = resolve(repo, 'dist/manifests')): string[] {
  mkdirSync(outDir, { recursive: true });
  return MANIFESTS.map((name) => {
    const target = resolve(outDir, name);
    writeFileSync(target, rewriteManifest(readFileSync(resolve(repo, name), 'utf8'), origin));
    return target;
  });
}

function main(argv: string[]): number {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const origin = value('--origin');
  if (!origin) {
    console.error('Usage: tsx scripts/manifests.ts --origin https://crm.example.com [--out dist/manifests]');
    return 2;
  }
  try {
    const out = value('--out');
    for (const file of writeManifests(origin, out ? resolve(out) : undefined)) console.log(`wrote ${file}`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
