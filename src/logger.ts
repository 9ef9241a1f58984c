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

/**
 * Lines go to `destination`, by default stdout written synchronously by the
 * thread that logs (as console.log writes to a file or pipe). pino's own
 * default writes through libuv's thread pool: two thread hand-offs per
 * line, which cost a createUser about 1 ms of CPU at a few creates a second
 * (docs/performance.md, change 37), and a line still in flight when the
 * process is killed is lost.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'identity-gateway' } }, destination);
}
