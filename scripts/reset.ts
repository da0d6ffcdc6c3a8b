/** `npm run reset`: wipes the local D1 and the demo tokens; the next `npm start` seeds afresh. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/local';

rmSync(join(ROOT, '.wrangler/state'), { recursive: true, force: true });
rmSync(join(ROOT, '.wrangler/leadpane-demo.json'), { force: true });
console.log('Local data wiped. `npm start` will create the demo organisation again.');
