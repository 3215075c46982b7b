'use strict';
// Ceiling: Node's own http server answering a small JSON, on 127.0.0.1 and a free port.
// Prints {"port": N} once listening; exits on SIGTERM.
const http = require('node:http');
const { Buffer } = require('node:buffer');

const body = JSON.stringify({ success: true, data: { ok: true } });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
