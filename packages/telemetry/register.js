// `import '@shop/telemetry/register'`: starts tracing when the OTEL_* variables ask for it.
require('./dist/register');
