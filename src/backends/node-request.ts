// One HTTP exchange over node:http(s): the request, then the whole response
// body. Shared by the backends' transport (http.ts) and the guarded fetch
// the OAuth2 client is handed (guarded-fetch.ts).
//
// Not fetch: Node 20's fetch (undici, with ofetch on top) spent about 0.4 ms
// of CPU per backend call against 0.2 ms here (WHATWG streams and a Request
// and Response object per call), about a tenth of a createUser with both
// backends (docs/performance.md, change 27).
import { type Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface NodeRequest {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Connection reuse: the transport's keep-alive agents; `false` for a connection of its own. */
  agents: { http: HttpAgent; https: HttpsAgent } | false;
  /** Resolves the host (guarded-fetch.ts checks each address against the outbound policy). */
  lookup?: LookupFunction | undefined;
  /** A body longer than this fails the exchange instead of being buffered. */
  maxBodyBytes?: number | undefined;
}

export interface NodeResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: Buffer<ArrayBuffer>;
}

/** Sends `request` to `url` and resolves once the whole body is in; rejects on any connection failure or abort. */
export function sendRequest(url: URL, request: NodeRequest): Promise<NodeResponse> {
  const headers = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const agent = request.agents === false ? false : https ? request.agents.https : request.agents.http;
  return new Promise<NodeResponse>((resolve, reject) => {
    const outgoing = send(
      url,
      { method: request.method, headers, agent, ...(request.lookup ? { lookup: request.lookup } : {}), ...(request.signal ? { signal: request.signal } : {}) },
      (message) => readBody(message, request.maxBodyBytes).then(resolve, reject),
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function readBody(message: IncomingMessage, maxBodyBytes = Number.POSITIVE_INFINITY): Promise<NodeResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        message.destroy(new Error('the response is too large'));
        return;
      }
      chunks.push(chunk);
    });
    message.on('error', reject);
    // A connection closed mid-body (or the caller's abort) ends the exchange as a failure, never as a short body.
    message.on('close', () => {
      if (!message.complete) reject(new Error('the response was cut off'));
    });
    message.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(message.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      resolve({ status: message.statusCode ?? 0, statusText: message.statusMessage ?? '', headers, body: Buffer.concat(chunks) });
    });
  });
}
