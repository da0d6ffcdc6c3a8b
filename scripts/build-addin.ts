// Build of the add-in pages (dist/addin/), used two ways:
//  - vite.config.ts imports the plugins below, so `npx vite build` alone produces everything:
//    the four pages, icons, functions.json, the classic-script functions.js, and a size check;
//  - `tsx scripts/build-addin.ts` runs that build and prints the per-pane JavaScript budget.
import { deflateSync, gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { build, type Plugin } from 'vite';
import { PAGE_HEADERS } from './lib/page-headers';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ADDIN_ROOT = resolve(repo, 'addin');
export const ADDIN_OUT = resolve(repo, 'dist/addin');
/** The size report sits beside dist/addin, not in it: the Worker serves everything in there. */
export const SIZES_FILE = resolve(repo, 'dist/addin-sizes.json');

/**
 * The multi-page inputs; each lands at the same path under dist/addin/. functions.html is copied
 * as it is (it only loads Microsoft's scripts and the classic functions.js).
 */
export const ADDIN_PAGES = {
  excel: resolve(ADDIN_ROOT, 'excel/taskpane.html'),
  outlook: resolve(ADDIN_ROOT, 'outlook/taskpane.html'),
  commands: resolve(ADDIN_ROOT, 'commands/commands.html'),
};

/** JavaScript a pane may load before its first screen, gzip (DESIGN.md: load fast). */
export const FIRST_SCREEN_BUDGET = 200 * 1024;
export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

// ---------------------------------------------------------------------------------------------
// Icons: small PNGs drawn here, so no binary files live in the repository.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA PNG of size x size from a pixel function. */
export function encodePng(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

/** Leadpane's mark: a white "L" on a rounded brand-blue square (#0F6CBD, Fluent's brand 80). */
export function leadpaneIcon(size: number): Buffer {
  const radius = size * 0.2;
  const inside = (x: number, y: number) => {
    const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
    const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
    return (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2;
  };
  const stroke = Math.max(2, Math.round(size * 0.16));
  const left = Math.round(size * 0.3);
  const top = Math.round(size * 0.2);
  const bottom = Math.round(size * 0.8);
  const right = Math.round(size * 0.72);
  return encodePng(size, (x, y) => {
    if (!inside(x, y)) return [0, 0, 0, 0];
    const stem = x >= left && x < left + stroke && y >= top && y < bottom;
    const foot = y >= bottom - stroke && y < bottom && x >= left && x < right;
    return stem || foot ? [255, 255, 255, 255] : [15, 108, 189, 255];
  });
}

// ---------------------------------------------------------------------------------------------
// Plugins

/** Icons, the site root page, functions.html and functions.json as build assets. */
function assetsPlugin(): Plugin {
  return {
    name: 'leadpane:assets',
    apply: 'build',
    generateBundle() {
      for (const size of ICON_SIZES) {
        this.emitFile({ type: 'asset', fileName: `assets/icon-${size}.png`, source: leadpaneIcon(size) });
      }
      this.emitFile({
        type: 'asset',
        fileName: 'functions/functions.html',
        source: readFileSync(resolve(ADDIN_ROOT, 'functions/functions.html')),
      });
      this.emitFile({
        type: 'asset',
        fileName: 'functions/functions.json',
        source: readFileSync(resolve(ADDIN_ROOT, 'functions/functions.json')),
      });
      // The site root: what Leadpane is and links to the panes (static, no script).
      this.emitFile({ type: 'asset', fileName: 'index.html', source: readFileSync(resolve(ADDIN_ROOT, 'index.html')) });
      // Workers static assets apply _headers to every page it serves.
      this.emitFile({ type: 'asset', fileName: '_headers', source: PAGE_HEADERS });
    },
  };
}

/**
 * functions.js as one classic script (IIFE): a JavaScript-only custom-functions runtime loads it
 * with a plain <script>, so it cannot be an ES module with shared chunks.
 */
function functionsScriptPlugin(): Plugin {
  return {
    name: 'leadpane:functions-script',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        root: ADDIN_ROOT,
        publicDir: false,
        define: { 'process.env.NODE_ENV': '"production"' },
        build: {
          outDir: resolve(ADDIN_OUT, 'functions'),
          emptyOutDir: false,
          target: 'es2020',
          lib: {
            entry: resolve(ADDIN_ROOT, 'functions/entry.ts'),
            formats: ['iife'],
            name: 'LeadpaneFunctions',
            fileName: () => 'functions.js',
          },
        },
      });
    },
  };
}

export interface PaneSize {
  page: string;
  files: string[];
  bytes: number;
  gzipBytes: number;
}

/** The JavaScript each page loads before its first screen: its entry and static imports. */
export function firstScreenSizes(
  bundle: Record<
    string,
    { type: string; fileName: string; isEntry?: boolean; facadeModuleId?: string | null; imports?: string[]; code?: string }
  >,
): PaneSize[] {
  const sizes: PaneSize[] = [];
  for (const chunk of Object.values(bundle)) {
    if (chunk.type !== 'chunk' || !chunk.isEntry || !chunk.facadeModuleId || !chunk.code) continue;
    const page = chunk.facadeModuleId.replace(ADDIN_ROOT, '').replace(/^[/\\]/, '');
    const seen = new Set<string>();
    const visit = (fileName: string) => {
      if (seen.has(fileName)) return;
      seen.add(fileName);
      for (const next of bundle[fileName]?.imports ?? []) visit(next);
    };
    visit(chunk.fileName);
    const files = [...seen];
    const code = files.map((f) => bundle[f]?.code ?? '');
    sizes.push({
      page,
      files,
      bytes: code.reduce((n, c) => n + Buffer.byteLength(c), 0),
      gzipBytes: code.reduce((n, c) => n + gzipSync(c, { level: 9 }).length, 0),
    });
  }
  return sizes.sort((a, b) => a.page.localeCompare(b.page));
}

/** Prints each page's first-screen JavaScript and fails the build over budget. */
function budgetPlugin(): Plugin {
  let sizes: PaneSize[] = [];
  return {
    name: 'leadpane:budget',
    apply: 'build',
    closeBundle() {
      mkdirSync(dirname(SIZES_FILE), { recursive: true });
      writeFileSync(SIZES_FILE, JSON.stringify(sizes, null, 2));
    },
    generateBundle(_, bundle) {
      sizes = firstScreenSizes(bundle as never);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      for (const s of sizes) {
        this.info(`first screen of ${s.page}: ${kb(s.gzipBytes)} gzip (${kb(s.bytes)}) in ${s.files.length} files`);
      }
      const over = sizes.filter((s) => s.gzipBytes > FIRST_SCREEN_BUDGET);
      if (over.length > 0) {
        this.error(
          `Over the ${kb(FIRST_SCREEN_BUDGET)} gzip first-screen budget: ${over.map((s) => `${s.page} ${kb(s.gzipBytes)}`).join(', ')}`,
        );
      }
    },
  };
}

export function addinPlugins(): Plugin[] {
  return [assetsPlugin(), budgetPlugin(), functionsScriptPlugin()];
}

// ---------------------------------------------------------------------------------------------
// CLI: tsx scripts/build-addin.ts

async function main() {
  await build({ configFile: resolve(repo, 'vite.config.ts') });
  const sizes = JSON.parse(readFileSync(SIZES_FILE, 'utf8')) as PaneSize[];
  console.log('\nJavaScript before the first screen (gzip, budget 200 KB):');
  for (const s of sizes) console.log(`  ${s.page.padEnd(28)} ${(s.gzipBytes / 1024).toFixed(1).padStart(7)} KB`);
}

// vite.config.ts imports this module too, in this same process and with this same
// import.meta.url (Vite's config bundler keeps it), so a flag on globalThis keeps the CLI from
// starting a second build from inside the config.
const MAIN = Symbol.for('leadpane.build-addin.main');
const flags = globalThis as { [MAIN]?: boolean };
if (!flags[MAIN] && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  flags[MAIN] = true;
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
