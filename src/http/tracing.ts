// Optional OpenTelemetry tracing through the Node SDK, configured by the
// standard OTEL_* variables (endpoint, protocol, headers, sampler, resource
// attributes, propagators). The API calls below are no-ops until
// `startTracing` registers the SDK, so the plugin, the propagation and the
// backend hook cost nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset; the
// SDK itself is only loaded when tracing is on.
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { BackendCall } from '../backend-call.ts';
import type { GatewayContext } from '../context.ts';

const tracer = () => trace.getTracer('identity-gateway');

/** `service.name` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names the service. */
export const DEFAULT_SERVICE_NAME = 'identity-gateway';

export interface Tracing {
  /** Flushes buffered spans; call on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Starts the SDK: spans exported over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT
 * (`/v1/traces` appended; OTEL_EXPORTER_OTLP_PROTOCOL picks
 * http/protobuf, the default, http/json or grpc), W3C trace context and
 * baggage propagated (OTEL_PROPAGATORS), and the AsyncLocalStorage context
 * manager, so backend spans nest under their operation. Traces only: the
 * gateway's metrics are Prometheus at /metrics and its logs go to stdout.
 */
export async function startTracing(env: Record<string, string | undefined> = process.env): Promise<Tracing> {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const named = env.OTEL_SERVICE_NAME !== undefined || /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    serviceName: named ? undefined : DEFAULT_SERVICE_NAME,
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    async shutdown() {
      await sdk.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** A client span for a backend attempt that already finished (the transport reports after the fact). */
export function traceBackendCall(call: BackendCall): void {
  const end = Date.now();
  const span = tracer().startSpan(`${call.backend} ${call.method}`, {
    kind: SpanKind.CLIENT,
    startTime: end - call.durationMs,
    attributes: { 'gateway.backend': call.backend, 'http.request.method': call.method, 'gateway.backend.outcome': String(call.outcome) },
  });
  if (typeof call.outcome === 'number') span.setAttribute('http.response.status_code', call.outcome);
  if (typeof call.outcome !== 'number' || call.outcome >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/** One span per GraphQL operation, active while it executes so backend spans become its children. */
export function useTracing(): Plugin<GatewayContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const name = `graphql ${operation?.operation ?? 'operation'} ${operation?.name?.value ?? args.operationName ?? 'anonymous'}`;
      let span: Span | undefined;
      // The caller's W3C trace context, so this operation joins its trace.
      const parent = propagation.extract(context.active(), args.contextValue.request.headers, headerGetter);
      setExecuteFn((executeArgs) =>
        tracer().startActiveSpan(name, { kind: SpanKind.SERVER }, parent, (active) => {
          span = active;
          active.setAttributes({
            'graphql.operation.type': operation?.operation ?? 'unknown',
            'graphql.operation.name': operation?.name?.value ?? '',
            'gateway.request_id': args.contextValue.requestId,
            'gateway.caller': args.contextValue.caller.id,
          });
          return executeFn(executeArgs);
        }),
      );
      return {
        onExecuteDone({ result }) {
          if (!span) return;
          if ('errors' in result && result.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
}
