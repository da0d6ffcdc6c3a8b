/**
 * The local server: the bundled Worker in workerd (through Miniflare, the runtime `wrangler dev`
 * wraps) with the local D1 and the add-in build as static assets, listening straight on the port.
 * `wrangler dev` puts a proxy worker and a second workerd process in front of every request, which
 * costs about 8 ms a request; serving directly is what `npm start`, the tests and the benchmarks use.
 * The D1 files are wrangler's own (`<state>/v3/d1`), so `wrangler d1 execute --local` sees the same data.
 *
 *   tsx scripts/serve.ts --port 8787 [--persist-to DIR] [--bundle DIR] [--var NAME:VALUE]... [--https]
 *
 * --https serves with the office-addin-dev-certs certificate (~/.office-addin-dev-certs), which
 * sideloading in Office needs; that path goes through Miniflare's TLS entry worker.
 */
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { bundleWorker, ROOT } from './lib/local';

function parse(argv: string[]) {
  const out = {
    port: 8787,
    host: '127.0.0.1',
    persistTo: join(ROOT, '.wrangler/state'),
    bundle: '',
    https: false,
    vars: {} as Record<string, string>,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${a} needs a value`);
      return next;
    };
    if (a === '--port') out.port = Number(v());
    else if (a === '--ip') out.host = v();
    else if (a === '--persist-to') out.persistTo = v();
    else if (a === '--bundle') out.bundle = v();
    else if (a === '--https') out.https = true;
    else if (a === '--var') {
      const [k, ...rest] = v().split(':');
      out.vars[k!] = rest.join(':');
    } else throw new Error(`Unknown option ${a}`);
  }
  return out;
}

/** The certificate `npx office-addin-dev-certs install` made and the system trusts. */
function devCertificate(): { httpsKeyPath: string; httpsCertPath: string } {
  const dir = join(homedir(), '.office-addin-dev-certs');
  const httpsKeyPath = join(dir, 'localhost.key');
  const httpsCertPath = join(dir, 'localhost.crt');
  if (!existsSync(httpsKeyPath) || !existsSync(httpsCertPath))
    throw new Error(
      `No development certificate in ${dir}. Run "npx office-addin-dev-certs install" once (it asks for administrator rights), then start again.`,
    );
  return { httpsKeyPath, httpsCertPath };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  // Without --bundle the sources are bundled afresh, so a restart serves the current code.
  const bundleDir = args.bundle || join(ROOT, '.wrangler/tmp', `serve-${args.port}`);
  if (!args.bundle) rmSync(bundleDir, { recursive: true, force: true });
  const entry = bundleWorker(bundleDir);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.jsonc'));
  const mf = new Miniflare({
    ...workerOptions,
    name: 'leadpane',
    modules: true,
    scriptPath: entry,
    modulesRoot: bundleDir,
    // LOCAL_SERVER: the Worker knows no edge stands in front, so no client header names an address.
    bindings: { ...workerOptions.bindings, LOCAL_SERVER: 'true', ...args.vars },
    d1Persist: join(args.persistTo, 'v3', 'd1'),
    host: args.host,
    ...(args.https ? { port: args.port, ...devCertificate() } : { port: 0, unsafeDirectSockets: [{ host: args.host, port: args.port }] }),
    log: new Log(LogLevel.WARN),
    // No request.cf lookup over the network: the local server works offline.
    cf: false,
  } as ConstructorParameters<typeof Miniflare>[0]);
  const entryUrl = await mf.ready;
  if (process.env.LP_DEBUG) console.log(`entry ${entryUrl.origin}`);
  console.log(`Ready on ${args.https ? 'https' : 'http'}://${args.host}:${args.port}`);
  const stop = () => {
    void mf.dispose().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
