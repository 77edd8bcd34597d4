// Starts kinesalite bound to 127.0.0.1 only (its CLI always binds every interface).
// Usage: node kinesalite-server.js <port> [<leveldb folder>]
const kinesalite = require('kinesalite');

const port = Number(process.argv[2]);
const path = process.argv[3];
const server = kinesalite({ path: path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 });
server.listen(port, '127.0.0.1', () => console.log(`kinesalite listening on http://127.0.0.1:${port}`));
// LevelDB has already written every acknowledged record to its log; exit without waiting for idle clients.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
