'use strict';
// Load generators: autocannon for closed-loop runs (N connections, each sends its next
// request when the last one answered), and a small open-loop generator that sends at fixed
// intervals whatever the answers do, so queueing shows in the latency (no coordinated omission).
const http = require('node:http');
const { Buffer } = require('node:buffer');
const { performance } = require('node:perf_hooks');
const { setInterval, clearInterval, setTimeout, clearTimeout } = require('node:timers');
const autocannon = require('autocannon');

/**
 * A closed-loop run. `next()` gives each request: { method, path, headers, body }; it is
 * called per request, so paths and bodies vary (every order on other products).
 */
async function closedLoop({ url, connections, seconds, next }) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    // One request template whose setupRequest builds each request anew.
    requests: [{ setupRequest: (req) => ({ ...req, ...next() }) }],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    rps: result['2xx'] / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: failed,
    errorDetail: { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, statusCodes: result.statusCodeStats },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * An open-loop run: `rate` requests per second for `seconds`, each sent at its scheduled time;
 * latency runs from that time to the end of the answer. Requests still unanswered 10 s after
 * the end count as errors. `onResponse(res)`, when given, sees each answer's status and
 * headers (e.g. the Location of a placed order) without the cost of reading bodies.
 * The result also holds `sentFrom` and `sentUntil` (epoch ms of the first and last send): the
 * load's end for anything measured after it.
 */
function openLoop({ url, rate, seconds, next, onResponse }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = [];
  const statusCodes = {};
  let sent = 0;
  let done = 0;
  let errors = 0;
  const socketErrors = {}; // by code (ECONNRESET, ECONNREFUSED, ...)
  let sentUntil;
  const sentFrom = Date.now();
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(timer);
      clearTimeout(deadline);
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const elapsed = (performance.now() - start) / 1000;
      resolve({
        requests: total,
        ok: latencies.length,
        rps: latencies.length / Math.max(seconds, elapsed - (latencies.at(-1) ?? 0) / 1000),
        offeredRps: rate,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? NaN,
        errors: errors + (total - done),
        errorDetail: { statusCodes, socketErrors, unanswered: total - done },
        sentFrom,
        sentUntil: sentUntil ?? Date.now(),
      });
    };
    const deadline = setTimeout(finish, (seconds + 10) * 1000);
    const send = (scheduledAt) => {
      const { method = 'GET', path, headers = {}, body } = next();
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          agent,
          headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
        },
        (res) => {
          onResponse?.(res);
          res.resume();
          res.on('end', () => {
            statusCodes[res.statusCode] = (statusCodes[res.statusCode] ?? 0) + 1;
            if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - scheduledAt);
            else errors++;
            if (++done === total) finish();
          });
        },
      );
      req.on('error', (err) => {
        errors++;
        socketErrors[err.code ?? err.message] = (socketErrors[err.code ?? err.message] ?? 0) + 1;
        if (++done === total) finish();
      });
      req.end(body);
    };
    const interval = 1000 / rate;
    const timer = setInterval(() => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent === total) {
        clearInterval(timer);
        sentUntil = Date.now();
      }
    }, 1);
  });
}

module.exports = { closedLoop, openLoop };
