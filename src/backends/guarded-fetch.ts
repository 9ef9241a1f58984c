// The fetch oauth4webapi is handed for every OAuth2 request (its
// `customFetch` option): node:http(s) with a `lookup` that resolves the host
// name, checks every address against the outbound policy and hands exactly
// those addresses to the socket, so the address checked is the address
// connected to (no second resolution a rebinding DNS server could answer
// differently). Hosts written as IP addresses never reach `lookup`; the URL
// check before the request covers them. TLS still verifies the certificate
// against the host name. oauth4webapi never follows redirects (it asks for
// `redirect: 'manual'`), and neither does this.
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type NodeResponse, sendRequest } from './node-request.ts';
import { type OutboundPolicy, OutboundRefused, resolveChecked, urlProblem } from './outbound-policy.ts';

/** Metadata and token responses are small; a provider answering more is cut off rather than buffered. */
const MAX_BODY_BYTES = 1024 * 1024;
const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

export interface GuardedRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  redirect?: 'manual';
}

function requestBody(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('unsupported request body for an OAuth2 request');
}

function checkedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(policy, hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? resolved.filter((entry) => entry.family === options.family) : resolved;
        const addresses: LookupAddress[] = wanted.map(({ address, family }) => ({ address, family }));
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address of the requested family`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          callback(null, addresses);
        } else {
          const [first] = addresses;
          callback(null, first?.address ?? '', first?.family ?? 4);
        }
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), '', 0),
    );
  };
}

async function toResponse(exchange: Promise<NodeResponse>, method: string): Promise<Response> {
  const { status, headers, body } = await exchange;
  if (status < 200 || status > 599) throw new Error(`unusable HTTP status ${status}`);
  return new Response(NO_BODY_STATUSES.has(status) || method === 'HEAD' ? null : body, { status, headers });
}

/** A fetch for oauth4webapi's `customFetch` that only reaches addresses the policy allows. */
export function guardedFetch(policy: OutboundPolicy) {
  const lookup = checkedLookup(policy);
  return async (input: string, init: GuardedRequestInit): Promise<Response> => {
    const url = new URL(input);
    const problem = urlProblem(policy, url);
    if (problem) throw new OutboundRefused(`${url.origin} ${problem}`);
    const exchange = sendRequest(url, {
      method: init.method,
      headers: init.headers,
      body: requestBody(init.body),
      signal: init.signal,
      lookup,
      agents: false,
      maxBodyBytes: MAX_BODY_BYTES,
    });
    return toResponse(exchange, init.method);
  };
}
