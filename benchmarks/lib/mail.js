'use strict';
// When each order's confirmation email was sent, read from the development mail catcher
// (scripts/services/mail-catcher.js): it appends one JSON line per message it accepts, with its
// `receivedAt`, to a file. Only the bytes appended since the watch began are read, so the
// polling costs the stack under test nothing (no query on FerretDB, which is on the email path
// itself) and the bench little, whatever the file's history.
const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout } = require('node:timers');
const { listenerPid } = require('./stack');

const MAIL_PORT = Number(process.env.MAIL_CATCHER_PORT ?? 1025);
// order-notifications.ts in the Order service: "Your order #<id> has been confirmed. ..."
const CONFIRMED = /^Your order #([0-9a-f-]{36}) has been confirmed\./;

/** The file the mail catcher listening on the mail port writes to (its --out, else its default). */
function mailLogFile(port = MAIL_PORT) {
  const pid = listenerPid(port);
  if (!(pid > 0)) throw new Error(`no mail catcher listening on 127.0.0.1:${port} (start-services.sh starts one)`);
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const script = argv.find((a) => a.endsWith('mail-catcher.js'));
  if (!script) throw new Error(`pid ${pid} on port ${port} is not scripts/services/mail-catcher.js: ${argv.join(' ')}`);
  const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  const out = argv.indexOf('--out');
  if (out >= 0) return path.resolve(cwd, argv[out + 1]);
  return path.resolve(path.dirname(path.resolve(cwd, script)), '../../logs/mail.jsonl');
}

class MailWatch {
  constructor(file = mailLogFile()) {
    this.file = file;
    this.offset = fs.existsSync(file) ? fs.statSync(file).size : 0;
    this.partial = '';
    this.lines = 0; // every mail seen, to tell "no confirmation came" from "none matched the pattern"

    /** order id → epoch ms its confirmation email reached the mail catcher */
    this.confirmedAt = new Map();
  }

  /** Reads what was appended since the last poll. */
  poll() {
    let fd;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return; // not written yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) this.offset = 0; // truncated or replaced: start over
      if (size === this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buf.toString('utf8')).split('\n');
      this.partial = lines.pop(); // a line being written: completed by the next poll
      for (const line of lines) {
        if (!line) continue;
        this.lines++;
        try {
          const mail = JSON.parse(line);
          const m = CONFIRMED.exec(mail.text ?? '');
          if (m) this.confirmedAt.set(m[1], Date.parse(mail.receivedAt));
        } catch {
          // not a line of ours
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** { sent, left, lastAt } of these order ids. */
  count(ids) {
    let sent = 0;
    let lastAt = 0;
    for (const id of ids) {
      const at = this.confirmedAt.get(id);
      if (at === undefined) continue;
      sent++;
      if (at > lastAt) lastAt = at;
    }
    return { sent, left: ids.length - sent, lastAt };
  }

  /**
   * Polls until every one of `ids` has its email, or `timeoutMs` passed;
   * { allSent, sent, left, lastAt } (lastAt: when the last of them arrived, epoch ms).
   */
  async waitFor(ids, timeoutMs, everyMs = 250) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.poll();
      const c = this.count(ids);
      if (c.left === 0 || Date.now() > deadline) return { allSent: c.left === 0, ...c };
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** Forgets these ids (a long soak would otherwise keep every one). */
  forget(ids) {
    for (const id of ids) this.confirmedAt.delete(id);
  }
}

module.exports = { MailWatch, mailLogFile, MAIL_PORT };
