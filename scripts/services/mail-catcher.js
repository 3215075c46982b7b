#!/usr/bin/env node
// A development mail catcher: an SMTP server on the loopback interface that accepts every
// message and delivers none. Each mail is appended as one JSON line to logs/mail.jsonl (what
// test-services.sh and people read) and summed up in one readable line on stdout (its log).
//
//   node scripts/services/mail-catcher.js [--port 1025] [--out logs/mail.jsonl]
//
// start-services.sh runs it when nothing listens on :1025; stop-services.sh stops it.
'use strict';

const { appendFile, mkdir } = require('node:fs/promises');
const { dirname, resolve } = require('node:path');
const { setTimeout } = require('node:timers');
const { parseArgs } = require('node:util');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.MAIL_CATCHER_PORT || '1025' },
    out: { type: 'string', default: resolve(__dirname, '../../logs/mail.jsonl') },
  },
});
const port = Number(args.port);
const outFile = resolve(args.out);
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const log = (message) => console.log(`${new Date().toISOString()} ${message}`);
const addresses = (field) => (field ? [].concat(field).flatMap((a) => a.value.map((v) => v.address)) : []);

// Writes are chained so that lines never interleave, whatever order the parses finish in.
let writes = Promise.resolve();
const record = (entry) => {
  const written = writes.then(() => appendFile(outFile, `${JSON.stringify(entry)}\n`));
  writes = written.catch(() => undefined); // one failed write must not block the next ones
  return written;
};

function createServer() {
  return new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if (stream.sizeExceeded) {
            const err = Object.assign(new Error('Message too large'), { responseCode: 552 });
            return callback(err);
          }
          const entry = {
            receivedAt: new Date().toISOString(),
            messageId: mail.messageId ?? null,
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            from: addresses(mail.from),
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : null,
          };
          await record(entry);
          log(`mail from ${entry.envelope.from} to ${entry.envelope.to.join(', ')}: "${entry.subject}"`);
          callback();
        })
        .catch((err) => {
          log(`could not take a message: ${err.message}`);
          callback(Object.assign(new Error('Local error while storing the message'), { responseCode: 451 }));
        });
    },
  });
}

function listen(server, host) {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      server.on('error', (err) => log(`smtp error: ${err.message}`));
      resolveListen();
    });
  });
}

async function main() {
  await mkdir(dirname(outFile), { recursive: true });
  // "localhost" resolves to 127.0.0.1 or ::1 depending on the client: answer on both loopbacks.
  const servers = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer();
    try {
      await listen(server, host);
      servers.push(server);
    } catch (err) {
      // No IPv6 on this machine is fine; a busy IPv4 port is not.
      if (host === '127.0.0.1') throw err;
      log(`not listening on [${host}]:${port} (${err.code ?? err.message})`);
    }
  }
  log(`mail catcher listening on smtp://localhost:${port}; mails go to ${outFile}`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
      .then(() => writes)
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(`mail catcher failed to start: ${err.message}`);
  process.exit(1);
});
