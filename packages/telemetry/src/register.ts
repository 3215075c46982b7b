/**
 * Imported first by every service's main.ts (`import '@shop/telemetry/register'`), before any
 * library it instruments is loaded. With tracing off (the default) it loads nothing else: no
 * OpenTelemetry module enters the process.
 */
import { applyOtelSettingsFromEnvFile, prepareSdkEnvironment, readTelemetryConfig } from './config';
import { state } from './state';

applyOtelSettingsFromEnvFile();
const config = readTelemetryConfig();
if (config.enabled) {
  prepareSdkEnvironment(config);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSdk } = require('./sdk') as typeof import('./sdk');
  const sdk = startSdk();
  state.enabled = true;
  state.shutdown = () => sdk.shutdown();
  // The spans of the last batch go out while the service shuts down, not with the process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void sdk.shutdown().catch(() => undefined));
  }
}
