// `node --import ./record-loads.mjs import-entry.mjs <subpath>`: records what importing one entry
// point loads (ESM through the hooks, CommonJS through require.cache), for import-entry.mjs to print.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
globalThis.kmskitLoaded = [];
port1.on('message', (url) => globalThis.kmskitLoaded.push(url));
port1.unref();
register('./load-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
