'use strict';
// The machine's own ceilings, measured in the same run as the services: a bare Node http
// server, a bare Express server (child processes, so their CPU is measured apart from the
// load generator's), and pgbench -N on a scratch database of the project's PostgreSQL.
const path = require('node:path');
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { Client } = require('pg');

/** Starts a ceiling server; resolves { port, pid, stop() } once it listens. */
function startServer(file) {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'ceiling-servers', file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${file} exited (${code}) before listening`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      child.removeAllListeners('exit');
      const { port } = JSON.parse(line);
      resolve({
        port,
        pid: child.pid,
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

function pgbenchBin() {
  const candidates = ['/usr/lib/postgresql/15/bin/pgbench'];
  try {
    candidates.unshift(path.join(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim(), 'pgbench'));
  } catch {
    // no pg_config on the PATH
  }
  for (const bin of [...candidates, 'pgbench']) {
    if (spawnSync(bin, ['--version']).status === 0) return bin;
  }
  throw new Error('pgbench not found (it comes with the PostgreSQL server package)');
}

const PGBENCH_DB = 'bench_pgbench';
const PGBENCH_SCALE = 10;

/** Creates (once) and initialises the scratch database pgbench runs on. */
async function preparePgbench(pg, log) {
  const admin = new Client({ ...pg, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [PGBENCH_DB]);
    if (!rowCount) {
      log(`creating the scratch database ${PGBENCH_DB}`);
      await admin.query(`create database ${PGBENCH_DB}`);
    }
  } finally {
    await admin.end();
  }
  const db = new Client({ ...pg, database: PGBENCH_DB });
  await db.connect();
  let ready = false;
  try {
    const { rows } = await db.query(`select count(*)::int as n from pgbench_branches`);
    ready = rows[0].n === PGBENCH_SCALE;
  } catch {
    // not initialised yet
  } finally {
    await db.end();
  }
  if (!ready) {
    log(`pgbench -i -s ${PGBENCH_SCALE} ${PGBENCH_DB}`);
    const res = spawnSync(pgbenchBin(), ['-i', '-q', '-s', String(PGBENCH_SCALE), ...connArgs(pg), PGBENCH_DB], {
      env: { ...process.env, PGPASSWORD: pg.password },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`pgbench -i failed: ${res.stderr}`);
  }
}

function connArgs(pg) {
  return ['-h', pg.host, '-p', String(pg.port), '-U', pg.user];
}

/** pgbench -N (no updates of the small tables) for `seconds`; { tps, latencyAvg, transactions }. */
function runPgbench(pg, { clients, seconds }) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      pgbenchBin(),
      ['-N', '-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-r', ...connArgs(pg), PGBENCH_DB],
      { env: { ...process.env, PGPASSWORD: pg.password } },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`pgbench failed (${code}): ${out.slice(-500)}`));
      const num = (re) => Number((out.match(re) ?? [])[1]);
      resolve({
        tps: num(/tps = ([\d.]+) \(without initial connection time\)/),
        latencyAvg: num(/latency average = ([\d.]+) ms/),
        transactions: num(/number of transactions actually processed: (\d+)/),
        failed: num(/number of failed transactions: (\d+)/) || 0,
      });
    });
  });
}

/** The settings that decide PostgreSQL's speed here. */
async function pgSettings(pg) {
  const db = new Client({ ...pg, database: 'postgres' });
  await db.connect();
  try {
    const names = [
      'server_version',
      'shared_buffers',
      'fsync',
      'synchronous_commit',
      'max_connections',
      'wal_level',
      'work_mem',
      'full_page_writes',
    ];
    const { rows } = await db.query('select name, setting, unit from pg_settings where name = any($1) order by name', [names]);
    const out = {};
    for (const { name } of rows) {
      out[name] = (await db.query(`show ${name}`)).rows[0][name];
    }
    const { rows: active } = await db.query('select count(*)::int as n from pg_stat_activity');
    out.connections_now = active[0].n;
    return out;
  } finally {
    await db.end();
  }
}

module.exports = { startServer, preparePgbench, runPgbench, pgSettings };
