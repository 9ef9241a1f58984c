// What one HTTP attempt against a backend looks like to observers (metrics,
// tracing): on the ground floor so that they never import the backends, and
// the backends never import them (the transport is handed an `onCall` hook).

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One HTTP attempt against a backend, as metrics see it: never a URL, body or header. */
export interface BackendCall {
  backend: string;
  method: HttpMethod;
  /** The HTTP status, or how the attempt failed without one. */
  outcome: number | 'timeout' | 'connection';
  durationMs: number;
}
