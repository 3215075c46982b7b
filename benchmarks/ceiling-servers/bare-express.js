'use strict';
// Ceiling: a bare Express 5 app with one route answering a small JSON, on 127.0.0.1 and a
// free port. Prints {"port": N} once listening; exits on SIGTERM.
const express = require('express');

const app = express();
app.get('/item/:id', (req, res) => {
  res.json({ success: true, data: { id: req.params.id } });
});
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
