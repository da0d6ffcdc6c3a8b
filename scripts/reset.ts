/** `npm run reset`: wipes the local D1 and the demo tokens; the next `npm start` seeds afresh. */
import { wipeLocalData } from './lib/local';

wipeLocalData();
console.log('Local data wiped. `npm start` will create the demo organisation again.');
