import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './ports';
import { ServiceExitedError, spawnService, SpawnedService, UnexpectedExit } from './spawn-service';
import { failFast, waitFor } from './wait-for';

/** A stand-in for a built service: answers /health, and exits with code 3 when asked to crash. */
const FAKE_SERVICE = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/crash') {
    console.error('about to crash: the last words');
    res.end('bye', () => process.exit(3));
    return;
  }
  res.end('{"ok":true}');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('fake service listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

describe('spawnService: a service that dies under a test says so', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shop-fake-service-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'main.js'), FAKE_SERVICE);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (onUnexpectedExit?: (exit: UnexpectedExit) => void): Promise<SpawnedService> =>
    spawnService({
      name: 'fake-service',
      cwd: dir,
      port: await getFreePort(),
      env: {},
      logFile: join(dir, 'logs', 'fake.log'),
      onUnexpectedExit,
    });

  it('ends a wait at once with the exit code and the last output, not with a later ECONNREFUSED', async () => {
    let died: ServiceExitedError | undefined;
    const service = await start((exit) => {
      died = new ServiceExitedError(exit);
    });
    const forget = failFast(() => died);
    try {
      await fetch(`${service.url}/crash`).then((res) => res.text());
      // Waits for something the dead service will never give; longer than the test's own timeout.
      const waiting = waitFor(async () => (await fetch(`${service.url}/health`)).status === 418, { timeoutMs: 120_000, what: 'a teapot' });
      const error = await waiting.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ServiceExitedError);
      expect((error as ServiceExitedError).exit).toMatchObject({ name: 'fake-service', code: 3, signal: null });
      expect((error as Error).message).toMatch(/fake-service exited during the test \(code 3\)/);
      expect((error as Error).message).toContain('about to crash: the last words');
      expect(service.unexpectedExit()?.code).toBe(3);
      // The whole output is in the log file as well.
      expect(readFileSync(join(dir, 'logs', 'fake.log'), 'utf8')).toContain('about to crash: the last words');
    } finally {
      forget();
      await service.stop();
    }
  });

  it('does not count a stop as a death', async () => {
    const exits: UnexpectedExit[] = [];
    const service = await start((exit) => exits.push(exit));
    expect(service.tail()).toContain('fake service listening');
    await service.stop();
    expect(exits).toEqual([]);
    expect(service.unexpectedExit()).toBeUndefined();
  });

  it('fails a start that exits at once with its code and output', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'shop-broken-service-'));
    try {
      mkdirSync(join(broken, 'dist'));
      writeFileSync(join(broken, 'dist', 'main.js'), `console.error('cannot start: no config'); process.exit(2);`);
      await expect(
        spawnService({ name: 'broken-service', cwd: broken, port: await getFreePort(), env: {}, timeoutMs: 120_000 }),
      ).rejects.toThrow(/broken-service exited at start \(code 2\)[\s\S]*cannot start: no config/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
