// An identity provider's JWT side for tests: a signing key, its JWKS served
// over HTTP on loopback (the gateway fetches it as it would in production),
// and the gateway environment that trusts it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export const JWT_ISSUER = 'https://idp.test';
export const JWT_AUDIENCE = 'identity-gateway';

export interface JwtIssuer {
  /** AUTH_JWT_* variables for startTestGateway. */
  env: Record<string, string>;
  /**
   * A token for `subject` (none when undefined) with the given scopes
   * (space-separated in `scope`), for the gateway's audience and valid for
   * five minutes unless `options` say otherwise.
   */
  sign(subject: string | undefined, scopes?: string[], options?: { audience?: string; expiresAt?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function startJwtIssuer(): Promise<JwtIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return {
    env: { AUTH_JWT_ISSUER: JWT_ISSUER, AUTH_JWT_AUDIENCE: JWT_AUDIENCE, AUTH_JWT_JWKS_URL: jwksUrl },
    sign(subject, scopes = [], options = {}) {
      const jwt = new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
        .setIssuer(JWT_ISSUER)
        .setAudience(options.audience ?? JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresAt ?? '5m');
      if (subject !== undefined) jwt.setSubject(subject);
      return jwt.sign(privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
