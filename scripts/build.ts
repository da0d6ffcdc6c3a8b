/**
 * `npm run build`: builds the add-in panes into dist/addin (the Worker's static assets). Skips
 * the build when the output is newer than every source file, unless --force.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAssetsDir, ROOT } from './lib/local';

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    t = Math.max(t, f.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildAddin(force = false): void {
  if (!existsSync(join(ROOT, 'vite.config.ts')) || !existsSync(join(ROOT, 'addin'))) return ensureAssetsDir();
  const marker = join(ROOT, 'dist/addin/excel/taskpane.html');
  const sources = Math.max(newest(join(ROOT, 'addin')), newest(join(ROOT, 'shared')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  if (!force && existsSync(marker) && statSync(marker).mtimeMs > sources) return;
  console.log('Building the add-in panes...');
  const res = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (res.status !== 0) process.exit(res.status ?? 1);
  writeFileSync(join(ROOT, 'dist/addin/_headers'), HEADERS);
}

/**
 * Security headers for the pane pages, applied by Workers static assets: no inline scripts, the
 * API on the same origin, Office.js from Microsoft's CDN, framing only by Office on the web.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com",
  // Fluent UI injects its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self' https://*.officeapps.live.com https://*.office.com https://*.office365.com https://*.outlook.com https://*.microsoft.com https://*.sharepoint.com",
].join('; ');
const HEADERS = `/*\n  Content-Security-Policy: ${CSP}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n`;

if (import.meta.url === `file://${process.argv[1]}`) buildAddin(process.argv.includes('--force'));
