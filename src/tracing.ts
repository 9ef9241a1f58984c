// Optional OpenTelemetry tracing. The API calls below are no-ops until
// `startTracing` registers a provider, so the plugin and backend hook cost
// nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset.
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { BackendCall } from './backends/http.ts';
import type { GatewayContext } from './context.ts';

const tracer = () => trace.getTracer('identity-gateway');

export interface Tracing {
  /** Flushes buffered spans; call on shutdown. */
  shutdown(): Promise<void>;
}

/** Registers a global tracer provider exporting OTLP/HTTP to `endpoint` (the collector's base URL). */
export function startTracing(endpoint: string): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  // Also installs the AsyncLocalStorage context manager, so backend spans nest under their operation.
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
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

/** One span per GraphQL operation, active while it executes so backend spans become its children. */
export function useTracing(): Plugin<GatewayContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const name = `graphql ${operation?.operation ?? 'operation'} ${operation?.name?.value ?? args.operationName ?? 'anonymous'}`;
      let span: Span | undefined;
      setExecuteFn((executeArgs) =>
        tracer().startActiveSpan(name, { kind: SpanKind.SERVER }, (active) => {
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
