// Request ids, one access-log line per request, and Prometheus metrics.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
// A client-sent id is reused only when it cannot smuggle anything into a log line.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestIds {
  of(request: Request): string;
}

export function requestIds(): RequestIds {
  const ids = new WeakMap<Request, string>();
  return {
    of(request) {
      let id = ids.get(request);
      if (id === undefined) {
        const sent = request.headers.get(REQUEST_ID_HEADER);
        id = sent !== null && SAFE_REQUEST_ID.test(sent) ? sent : randomUUID();
        ids.set(request, id);
      }
      return id;
    },
  };
}

/** Echoes the request id to the client and logs method, path, status and duration (never headers or bodies). */
export function useAccessLog(logger: Logger, ids: RequestIds): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
      ids.of(request);
    },
    onResponse({ request, response }) {
      const requestId = ids.of(request);
      response.headers.set(REQUEST_ID_HEADER, requestId);
      const start = started.get(request);
      const url = new URL(request.url);
      logger.info(
        {
          requestId,
          method: request.method,
          path: url.pathname,
          status: response.status,
          durationMs: start === undefined ? undefined : Math.round((performance.now() - start) * 10) / 10,
        },
        'request',
      );
    },
  };
}

/**
 * `/metrics`: yoga's request, error, phase and root-resolver histograms plus
 * the gateway's own (backend calls, rate limiting), all in this instance's
 * registry. Labels a client chooses (operation name, URL, error path) are
 * off, so no request can grow the label set without bound.
 */
export function useMetrics(metrics: GatewayMetrics): Plugin {
  return usePrometheus({
    endpoint: '/metrics',
    registry: metrics.registry,
    skipIntrospection: true,
    // The first two are on by default in the yoga plugin and off here: one
    // walks every request's document for deprecated fields (the schema has
    // none), the other keeps quantile trees that cost more per request than
    // the histograms beside it (docs/performance.md).
    metrics: {
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_error_result: true,
      graphql_envelop_phase_parse: true,
      graphql_envelop_phase_validate: true,
      graphql_envelop_phase_context: true,
      graphql_envelop_phase_execute: true,
      // Off: the plugin would wrap every field of the schema to time the few
      // root ones, a quarter of a large list's execution (docs/performance.md).
      // The gateway plugin times exactly the root fields instead (`rootFieldObserver`).
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: true,
    },
    labels: { operationName: false, path: false, url: false },
  });
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * `/metrics` behind METRICS_TOKEN when it is set: the metrics name every
 * root field and backend, which a deployment with introspection off does
 * not publish. Placed before `useMetrics`, which answers the path itself.
 */
export function useMetricsAuth(token: string | undefined, endpoint = '/metrics'): Plugin {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!expected || url.pathname !== endpoint) return;
      // Digests compare in constant time whatever the lengths.
      if (timingSafeEqual(digest(request.headers.get('authorization') ?? ''), expected)) return;
      endResponse(new fetchAPI.Response('metrics need the METRICS_TOKEN bearer token\n', { status: 401, headers: { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' } }));
    },
  };
}

/**
 * The request context's `observeRootField`: each Query and Mutation field's
 * duration (the gateway plugin times them, src/schema/gateway-plugin.ts) as
 * `gateway_root_field_duration_seconds` in the metrics of the gateway
 * serving the request (several gateways in one process share a schema).
 */
export function rootFieldObserver(metrics: GatewayMetrics): (parentType: string, field: string, seconds: number) => void {
  return (parentType, field, seconds) => metrics.rootField(parentType, field, seconds);
}
