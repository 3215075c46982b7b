import type * as OtelApi from '@opentelemetry/api';
import { state } from './state';

/** A W3C trace context as it travels in a message or a row: `{ traceparent, tracestate? }`. */
export type TraceCarrier = Record<string, string>;

const TRACER = '@shop/telemetry';
let loaded: typeof OtelApi | undefined;

/** The API module, loaded on first use and only when tracing is on. */
function otel(): typeof OtelApi | undefined {
  if (!state.enabled) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@opentelemetry/api') as typeof OtelApi;
  return loaded;
}

export function isTracingEnabled(): boolean {
  return state.enabled;
}

/** The ids of the active span, for log lines and response headers; undefined when none. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const api = otel();
  const span = api?.trace.getActiveSpan();
  if (!api || !span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return api.isValidTraceId(traceId) ? { traceId, spanId } : undefined;
}

/**
 * The active trace context as a carrier to store with work done later (an outbox row, a queued
 * job); null when tracing is off or no span is active.
 */
export function captureTraceContext(): TraceCarrier | null {
  const api = otel();
  if (!api || !api.trace.getActiveSpan()) return null;
  const carrier: TraceCarrier = {};
  api.propagation.inject(api.context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

export interface SpanOptions {
  attributes?: Record<string, string | number | boolean>;
  /** `internal` (default), `consumer` for work taken from a queue, `client` for a call out. */
  kind?: 'internal' | 'consumer' | 'client' | 'producer';
}

/**
 * Runs `fn` in a span that continues the trace stored in `carrier` (a child of the span that
 * captured it); without a carrier the span starts a trace of its own. Outgoing calls, SQL and
 * log lines inside `fn` belong to that span. When tracing is off it just runs `fn`.
 */
export function withTraceContext<T>(
  carrier: TraceCarrier | null | undefined,
  name: string,
  fn: () => Promise<T>,
  options?: SpanOptions,
): Promise<T> {
  return withTraceContexts([carrier], name, fn, options);
}

/**
 * For work done for several stored items at once (a batch): a child span of their trace when
 * they all belong to one, else a span of its own linked to each of theirs.
 */
export function withTraceContexts<T>(
  carriers: ReadonlyArray<TraceCarrier | null | undefined>,
  name: string,
  fn: () => Promise<T>,
  options?: SpanOptions,
): Promise<T> {
  const api = otel();
  if (!api) return fn();
  const contexts = carriers
    .filter((c): c is TraceCarrier => Boolean(c?.traceparent))
    .map((c) => api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, c)))
    .filter((c): c is OtelApi.SpanContext => c !== undefined);
  const traces = new Set(contexts.map((c) => c.traceId));
  if (traces.size === 1) return inSpan(api, api.trace.setSpanContext(api.ROOT_CONTEXT, contexts[0]), name, fn, options);
  return inSpan(
    api,
    api.ROOT_CONTEXT,
    name,
    fn,
    options,
    contexts.map((context) => ({ context })),
  );
}

/** Runs `fn` in a child span of the active one (e.g. an SMTP exchange no library traces). */
export function withSpan<T>(name: string, fn: () => Promise<T>, options?: SpanOptions): Promise<T> {
  const api = otel();
  if (!api) return fn();
  return inSpan(api, api.context.active(), name, fn, options);
}

function inSpan<T>(
  api: typeof OtelApi,
  parent: OtelApi.Context,
  name: string,
  fn: () => Promise<T>,
  options: SpanOptions = {},
  links?: OtelApi.Link[],
): Promise<T> {
  const kind = {
    internal: api.SpanKind.INTERNAL,
    consumer: api.SpanKind.CONSUMER,
    client: api.SpanKind.CLIENT,
    producer: api.SpanKind.PRODUCER,
  }[options.kind ?? 'internal'];
  return api.trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes: options.attributes, links }, parent, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
