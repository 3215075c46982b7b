import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';

/** The exporters OTEL_TRACES_EXPORTER may name (the SDK's own list); anything else is refused at start. */
export const TRACE_EXPORTERS = ['none', 'zipkin', 'otlp', 'console'] as const;

export interface TelemetryConfig {
  /** False unless OTEL_TRACES_EXPORTER names an exporter and OTEL_SDK_DISABLED is not `true`. */
  enabled: boolean;
  exporters: string[];
  serviceName: string;
}

/**
 * Tracing is off unless asked for: the SDK's own default exporter (otlp) would make every
 * service send spans to a collector that, on a developer's machine, is not there.
 */
/**
 * The OTEL_* settings of the service's `.env` (in the working directory, as the services' config
 * reads it), for those the environment does not set: the SDK reads only the environment, so
 * without this a `.env` would switch everything but tracing.
 */
export function applyOtelSettingsFromEnvFile(path = resolve('.env'), env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return;
  for (const [key, value] of Object.entries(parseDotenv(readFileSync(path)))) {
    if (key.startsWith('OTEL_') && env[key] === undefined) env[key] = value;
  }
}

export function readTelemetryConfig(env: NodeJS.ProcessEnv = process.env, mainFile = require.main?.filename): TelemetryConfig {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'none')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'none');
  const unknown = exporters.filter((e) => !(TRACE_EXPORTERS as readonly string[]).includes(e));
  if (unknown.length) {
    throw new Error(`OTEL_TRACES_EXPORTER: unknown exporter ${unknown.join(', ')} (one of ${TRACE_EXPORTERS.join(', ')})`);
  }
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  return {
    enabled: !disabled && exporters.length > 0,
    exporters,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceNameOf(mainFile),
  };
}

/** `@shop/order-service` → `order-service`: the name of the package whose main module runs. */
function serviceNameOf(mainFile: string | undefined): string {
  let dir = mainFile ? dirname(mainFile) : process.cwd();
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name) return name.replace(/^@[^/]+\//, '');
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown_service:node';
    dir = parent;
  }
}

/**
 * The SDK reads the rest of its settings from the standard variables itself
 * (OTEL_EXPORTER_ZIPKIN_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, OTEL_BSP_*).
 * Only traces are ours: metrics stay with prom-client and logs with pino.
 */
export function prepareSdkEnvironment(config: TelemetryConfig, env: NodeJS.ProcessEnv = process.env): void {
  env.OTEL_SERVICE_NAME = config.serviceName;
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
}
