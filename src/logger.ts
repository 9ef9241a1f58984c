import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Paths pino blanks out wherever they appear in a logged object, so a
// secret that reaches a log call by mistake still never reaches the sink.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'secrets',
  '*.secrets',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'identity-gateway' } }, destination);
}
