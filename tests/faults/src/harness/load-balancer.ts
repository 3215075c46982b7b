import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getFreePort, managedProcess, ManagedProcess, REPO_ROOT } from '@shop/test-kit';

/** One service behind the balancer: a frontend of its own, round robin over its replicas. */
export interface BalancedService {
  name: string;
  /** What its clients are told when no replica answers (names the service, as a dependency error must). */
  displayName: string;
  frontendPort: number;
  replicaPorts: number[];
}

export interface LoadBalancer {
  process: ManagedProcess;
  /** Each replica's state as HAProxy's health checks see it (`UP`, `DOWN`...), by server name. */
  serverStates(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** HAProxy from Debian's packages, installed on first use (scripts/lib/ensure-haproxy.sh). */
export function haproxyBinary(): string {
  const out = execFileSync('bash', [resolve(REPO_ROOT, 'scripts/lib/ensure-haproxy.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  });
  const path = out.trim().split('\n').pop();
  if (!path) throw new Error('scripts/lib/ensure-haproxy.sh printed no binary path');
  return path;
}

/**
 * The balancer's own answers are error envelopes like the services' (an ingress with its error
 * pages set): a client, or a calling service, reads which service failed, as it would from the
 * service itself.
 */
function errorFile(status: 502 | 503 | 504, code: string, message: string): string {
  const reason = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status];
  const body = JSON.stringify({ success: false, error: message, code });
  return [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: application/json', 'Cache-Control: no-cache', 'Connection: close', '', body].join(
    '\r\n',
  );
}

/**
 * The configuration: one frontend and backend per service, round robin, each replica checked on
 * GET /health/ready every 500 ms (out after 2 failures, back after 1 success), as a Kubernetes
 * Service routes only to ready pods. Only a failed connection is tried again on the other
 * replica (HAProxy's default `retry-on conn-failure`): a request a replica may have acted on is
 * never sent twice, so a placement's retry stays its caller's decision.
 */
export function haproxyConfig(services: BalancedService[], dir: string, monitorPort: number): string {
  const lines = [
    'global',
    '  log stderr format raw local0 notice',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    // Logs the requests that failed only (a replica refused, cut or timed out).
    '  option dontlog-normal',
    '  option redispatch',
    '  retries 2',
    '  timeout connect 1s',
    '  timeout check 1s',
    // Longer than any request of the suite may take (its client gives up after 30 s).
    '  timeout client 60s',
    '  timeout server 60s',
    'frontend monitor',
    `  bind 127.0.0.1:${monitorPort}`,
    '  monitor-uri /ready',
    '  stats enable',
    '  stats uri /stats',
  ];
  for (const s of services) {
    const files = {
      502: join(dir, `${s.name}-502.http`),
      503: join(dir, `${s.name}-503.http`),
      504: join(dir, `${s.name}-504.http`),
    };
    writeFileSync(files[502], errorFile(502, 'BAD_GATEWAY', `The ${s.displayName} failed (a replica closed the connection)`));
    writeFileSync(files[503], errorFile(503, 'SERVICE_UNAVAILABLE', `The ${s.displayName} is unavailable (no replica is ready)`));
    writeFileSync(files[504], errorFile(504, 'SERVICE_TIMEOUT', `The ${s.displayName} timed out`));
    lines.push(
      `frontend ${s.name}`,
      `  bind 127.0.0.1:${s.frontendPort}`,
      `  default_backend ${s.name}`,
      `backend ${s.name}`,
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      ...Object.entries(files).map(([status, file]) => `  errorfile ${status} ${file}`),
      '  default-server inter 500ms fall 2 rise 1',
      ...s.replicaPorts.map((port, i) => `  server ${s.name}-${i + 1} 127.0.0.1:${port} check`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Starts HAProxy in the foreground (its log on stderr, kept with the other processes' output). */
export async function startLoadBalancer(services: BalancedService[]): Promise<LoadBalancer> {
  const binary = haproxyBinary();
  const dir = mkdtempSync(join(tmpdir(), 'faults-haproxy-'));
  const monitorPort = await getFreePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(services, dir, monitorPort));
  const haproxy = managedProcess({
    name: 'haproxy',
    command: binary,
    args: ['-db', '-f', config],
    ready: async () => (await fetch(`http://127.0.0.1:${monitorPort}/ready`)).ok,
  });
  await haproxy.start();
  return {
    process: haproxy,
    async serverStates() {
      const csv = await (await fetch(`http://127.0.0.1:${monitorPort}/stats;csv`)).text();
      const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
      const columns = header.split(',');
      const [px, sv, status] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c));
      const states: Record<string, string> = {};
      for (const row of rows.map((r) => r.split(','))) {
        if (!['FRONTEND', 'BACKEND'].includes(row[sv]) && row[px] !== 'monitor') states[row[sv]] = row[status];
      }
      return states;
    },
    async close() {
      await haproxy.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
