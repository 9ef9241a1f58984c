// The one loopback list: which host names and addresses are this machine.
// Dev mode may only listen on one (config.ts), only they are answered as Host
// in dev mode (http/origin.ts, against DNS rebinding), and outside production
// OAuth2 provider URLs may name them (backends/outbound-policy.ts).
import { isIP } from 'node:net';

/** localhost, *.localhost (RFC 6761), 127.0.0.0/8 and ::1: lower-case names without port or brackets. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return isIP(name) === 6 && (name === '::1' || name === '0:0:0:0:0:0:0:1');
}
