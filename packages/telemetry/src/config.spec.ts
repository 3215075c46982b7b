import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyOtelSettingsFromEnvFile, readTelemetryConfig } from './config';
import { activeTraceIds, captureTraceContext, withSpan, withTraceContext } from './context';

const orderMain = resolve(__dirname, '../../../services/order-service/dist/main.js');

describe('readTelemetryConfig', () => {
  it('is off by default and with OTEL_TRACES_EXPORTER=none', () => {
    expect(readTelemetryConfig({}, orderMain).enabled).toBe(false);
    expect(readTelemetryConfig({ OTEL_TRACES_EXPORTER: 'none' }, orderMain).enabled).toBe(false);
  });

  it('is on when an exporter is named, unless OTEL_SDK_DISABLED=true', () => {
    expect(readTelemetryConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }, orderMain)).toMatchObject({ enabled: true, exporters: ['zipkin'] });
    expect(readTelemetryConfig({ OTEL_TRACES_EXPORTER: 'otlp,console' }, orderMain).exporters).toEqual(['otlp', 'console']);
    expect(readTelemetryConfig({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_SDK_DISABLED: 'true' }, orderMain).enabled).toBe(false);
  });

  it('refuses an exporter it does not know, naming it', () => {
    expect(() => readTelemetryConfig({ OTEL_TRACES_EXPORTER: 'jaegerr' }, orderMain)).toThrow(/unknown exporter jaegerr/);
  });

  it('names the service after the running package unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(readTelemetryConfig({}, orderMain).serviceName).toBe('order-service');
    expect(readTelemetryConfig({ OTEL_SERVICE_NAME: 'orders-eu' }, orderMain).serviceName).toBe('orders-eu');
  });
});

describe('applyOtelSettingsFromEnvFile', () => {
  it("takes a service's .env OTEL_* settings the environment does not set, and nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemetry-env-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, 'OTEL_TRACES_EXPORTER=zipkin\nOTEL_SERVICE_NAME=from-file\nJWT_SECRET=not-for-tracing\n');
      const env: NodeJS.ProcessEnv = { OTEL_SERVICE_NAME: 'from-environment' };
      applyOtelSettingsFromEnvFile(file, env);
      expect(env).toEqual({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_SERVICE_NAME: 'from-environment' });
      expect(readTelemetryConfig(env).enabled).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the context helpers with tracing off', () => {
  it('capture nothing and just run the work', async () => {
    expect(captureTraceContext()).toBeNull();
    expect(activeTraceIds()).toBeUndefined();
    const carrier = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    await expect(withTraceContext(carrier, 'work', async () => 42)).resolves.toBe(42);
    await expect(withSpan('work', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
