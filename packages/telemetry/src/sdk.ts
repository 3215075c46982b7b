import { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';

/** Probes and scrapes: a trace each would bury the ones people look for. */
const UNTRACED_PATHS = /^\/(health(\/ready)?|metrics)(\?|$)/;

/**
 * Loaded only when tracing is on (see register.ts). Exporter, endpoint, sampler and batch
 * delay come from the OTEL_* variables, read by the SDK itself.
 */
export function startSdk(): NodeSDK {
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.test(req.url ?? ''),
        // Readiness probes of the services a service calls run outside any request.
        requireParentforOutgoingSpans: true,
      }),
      // The route handler's span names the route; one span per middleware (helmet, json, ...) on
      // every request would only bury it.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new NestInstrumentation(),
      // Background pollers (outbox relay, sweepers, Bull's own Redis traffic) query all the time;
      // their statements are traced only inside a span of ours (a request, a delivery).
      new PgInstrumentation({ requireParentSpan: true }),
      new MongooseInstrumentation({ requireParentSpan: true }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
