export * from './context';
export { readTelemetryConfig, TRACE_EXPORTERS } from './config';
