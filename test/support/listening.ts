// A gateway on a real loopback socket, and raw HTTP requests to it, for
// behaviour that only exists at the HTTP level: Host, CORS, Location,
// server timeouts. `node:http` rather than fetch, which fixes Host itself.
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer, type ServerTimeouts } from '../../src/http/listen.ts';
import type { TestGateway } from './gateway.ts';

export interface Listening {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Serves `gateway` on an ephemeral loopback port as `main.ts` does (Host check, timeouts; `timeouts` override its config's). */
export async function listen(gateway: Pick<TestGateway, 'yoga' | 'config'>, timeouts: ServerTimeouts = {}): Promise<Listening> {
  const server = createHttpServer(gateway.yoga, { ...gateway.config, httpTimeouts: { ...gateway.config.httpTimeouts, ...timeouts } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (Host included). */
export function raw(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
