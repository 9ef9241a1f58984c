// SCRAM-SHA-256 password verifiers computed by the gateway, so that the
// cleartext never reaches Postgres (where log_statement or
// pg_stat_statements could record it). Postgres stores a literal that already
// has this shape as-is, whatever password_encryption says.
//
// The layout and the math follow RFC 5802 / RFC 7677 as Postgres implements
// them (src/common/scram-common.c): SaltedPassword = PBKDF2-HMAC-SHA256(
// SASLprep(password), salt, iterations); ClientKey = HMAC(SaltedPassword,
// "Client Key"); StoredKey = SHA256(ClientKey); ServerKey = HMAC(
// SaltedPassword, "Server Key").
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Postgres's default (scram_iterations, PG 16+; fixed before). */
export const SCRAM_DEFAULT_ITERATIONS = 4096;
/** Postgres's SCRAM_DEFAULT_SALT_LEN. */
export const SCRAM_SALT_BYTES = 16;
/**
 * Postgres's MAX_PASSWORD_LENGTH: the server refuses longer cleartext and
 * libpq cannot SASLprep it, so such a password could never be used to log in.
 */
export const MAX_PASSWORD_BYTES = 1024;

const KEY_BYTES = 32;
const MAX_ITERATIONS = 0x7fffffff;

export interface ScramOptions {
  /** Raw salt bytes; random (16 bytes) when omitted. */
  salt?: Uint8Array;
  iterations?: number;
}

export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Why Postgres could not hold or a client could not present this password, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length === 0) return 'password must not be empty';
  // C strings end at NUL: the server would silently use a shorter password.
  if (password.includes('\u0000')) return 'password must not contain NUL characters';
  // A lone surrogate has no UTF-8 form, so client and gateway would hash different bytes.
  if (/\p{Cs}/u.test(password)) return 'password must be valid Unicode text';
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `password must be at most ${MAX_PASSWORD_BYTES} bytes`;
  return undefined;
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64 throughout, exactly as in pg_authid.rolpassword. */
export function scramSha256Verifier(password: string, options: ScramOptions = {}): string {
  const problem = passwordProblem(password);
  if (problem) throw new RangeError(problem);
  const iterations = options.iterations ?? SCRAM_DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer between 1 and ${MAX_ITERATIONS}`);
  }
  const salt = options.salt ? Buffer.from(options.salt) : randomBytes(SCRAM_SALT_BYTES);
  if (salt.length === 0) throw new RangeError('salt must not be empty');
  const { storedKey, serverKey } = scramKeys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const VERIFIER_PATTERN = /^SCRAM-SHA-256\$([1-9][0-9]{0,9}):([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/;

/** The parts of a verifier, or undefined unless it is well formed (Postgres's parse_scram_secret rules). */
export function parseScramVerifier(text: string): ScramVerifier | undefined {
  const match = VERIFIER_PATTERN.exec(text);
  if (!match) return undefined;
  const [, iterationText = '', saltText = '', storedText = '', serverText = ''] = match;
  const iterations = Number(iterationText);
  if (iterations > MAX_ITERATIONS) return undefined;
  const salt = decodeBase64(saltText);
  const storedKey = decodeBase64(storedText);
  const serverKey = decodeBase64(serverText);
  if (!salt || salt.length === 0 || storedKey?.length !== KEY_BYTES || serverKey?.length !== KEY_BYTES) return undefined;
  return { iterations, salt, storedKey, serverKey };
}

/** Whether `password` is the one `verifier` was made from (what the server proves during a SCRAM exchange). */
export function verifyScramPassword(verifier: string, password: string): boolean {
  const parsed = parseScramVerifier(verifier);
  if (!parsed || passwordProblem(password)) return false;
  const { storedKey, serverKey } = scramKeys(password, parsed.salt, parsed.iterations);
  return timingSafeEqual(storedKey, parsed.storedKey) && timingSafeEqual(serverKey, parsed.serverKey);
}

function scramKeys(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), 'utf8'), salt, iterations, KEY_BYTES, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

// Buffer.from(..., 'base64') ignores junk; a strict round trip catches it.
function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * SASLprep (RFC 4013) the way Postgres's pg_saslprep applies it: ASCII passes
 * untouched; otherwise map (non-ASCII spaces to SPACE, "commonly mapped to
 * nothing" removed), NFKC, then prohibited, unassigned (Unicode 3.2) and bidi
 * checks. Where the RFC says "fail", Postgres and libpq fall back to the
 * original password, and so does this, or libpq's proof would not match.
 */
export function saslprep(password: string): string {
  if (/^[\u0000-\u007f]*$/.test(password)) return password;
  const mapped: number[] = [];
  for (const ch of password) {
    const cp = ch.codePointAt(0) ?? 0;
    if (inTable(NON_ASCII_SPACE, cp)) mapped.push(0x20);
    else if (!inTable(MAPPED_TO_NOTHING, cp)) mapped.push(cp);
  }
  const normalized = String.fromCodePoint(...mapped).normalize('NFKC');
  const cps = Array.from(normalized, (ch) => ch.codePointAt(0) ?? 0);
  if (cps.some((cp) => inTable(PROHIBITED, cp) || inTable(UNASSIGNED, cp))) return password;
  if (cps.some((cp) => inTable(RAND_AL_CAT, cp))) {
    const first = cps[0] ?? 0;
    const last = cps[cps.length - 1] ?? 0;
    if (cps.some((cp) => inTable(L_CAT, cp)) || !inTable(RAND_AL_CAT, first) || !inTable(RAND_AL_CAT, last)) return password;
  }
  return normalized;
}

// RFC 3454 tables as sorted [first, last, first, last, ...] code point pairs.
type Table = readonly number[];

function inTable(table: Table, cp: number): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = table[mid * 2] ?? 0;
    const last = table[mid * 2 + 1] ?? 0;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

function hexRanges(spec: string): Table {
  return spec.split(',').flatMap((range) => {
    const [first = '', last = first] = range.split('-');
    return [Number.parseInt(first, 16), Number.parseInt(last, 16)];
  });
}

// The big tables are stored as base36 "gap.length" pairs (gap from the
// previous range's end, length minus one), generated from Python's
// `stringprep` module, which carries the RFC 3454 tables verbatim.
function packedRanges(spec: string): Table {
  const table: number[] = [];
  let previousLast = -1;
  for (const entry of spec.split(',')) {
    const [gap = '0', extra = '0'] = entry.split('.');
    const first = previousLast + 1 + Number.parseInt(gap, 36);
    previousLast = first + Number.parseInt(extra, 36);
    table.push(first, previousLast);
  }
  return table;
}

/** C.1.2 */
const NON_ASCII_SPACE = hexRanges('a0,1680,2000-200b,202f,205f,3000');
/** B.1 */
const MAPPED_TO_NOTHING = hexRanges('ad,34f,1806,180b-180d,200b-200d,2060,fe00-fe0f,feff');
/** C.1.2, C.2.1, C.2.2, C.3 to C.9 merged. */
const PROHIBITED = hexRanges(
  '0-1f,7f-a0,340-341,6dd,70f,1680,180e,2000-200f,2028-202f,205f-2063,206a-206f,2ff0-2ffb,3000,d800-f8ff,' +
    'fdd0-fdef,feff,fff9-ffff,1d173-1d17a,1fffe-1ffff,2fffe-2ffff,3fffe-3ffff,4fffe-4ffff,5fffe-5ffff,' +
    '6fffe-6ffff,7fffe-7ffff,8fffe-8ffff,9fffe-9ffff,afffe-affff,bfffe-bffff,cfffe-cffff,dfffe-dffff,' +
    'e0001,e0020-e007f,efffe-10ffff',
);
/** D.1 */
const RAND_AL_CAT = hexRanges(
  '5be,5c0,5c3,5d0-5ea,5f0-5f4,61b,61f,621-63a,640-64a,66d-66f,671-6d5,6dd,6e5-6e6,6fa-6fe,700-70d,710,' +
    '712-72c,780-7a5,7b1,200f,fb1d,fb1f-fb28,fb2a-fb36,fb38-fb3c,fb3e,fb40-fb41,fb43-fb44,fb46-fbb1,' +
    'fbd3-fd3d,fd50-fd8f,fd92-fdc7,fdf0-fdfc,fe70-fe74,fe76-fefc',
);
/** A.1: unassigned in Unicode 3.2. */
const UNASSIGNED = packedRanges(
  'f5,i.r,2m.1,1r.g,28.f,g.3,2.3,1.2,1.4,7,1,k,18,13.8,3r,1z,12.1,2.5,g.w,12.1,7,13,2.5,h,n,a.a,r.4,5.m,' +
  '1.d,1.2,1,q.4,m.9,3y.1,f,e,u.2,r.1g,1e.9a,3,1h.1,i.1,5.2,p.f,3,8.1,2.1,m,7,1.2,4.1,1,7.1,2.1,3.8,1.3,' +
  '2,5.1,l.6,1.1,6.3,2.1,m,7,2,2,2.1,1,5.3,2.1,3.a,4,1.6,f.b,3,7,1,3,m,7,2,5.1,a,3,3.1,1.e,1.4,a.g,3,' +
  '8.1,2.1,m,7,2.1,4.1,8.2,2.1,3.7,2.3,2,3.3,b.g,2,6.2,3,4.2,2,1,2.2,2.2,3.2,8,3.3,5.2,3,4.8,1.e,c.d,3,' +
  '8,3,n,a,5.3,7,3,4.6,2.8,2.3,a.h,2,8,3,n,a,5.3,7,3,4.6,2.6,1,2.3,a.h,2,8,3,n,g.3,6.1,3,4.8,1.7,2.3,' +
  'a.h,2,i.2,o,9,1.1,7.2,1.3,6,1,8.h,3.b,1m.3,t.10,2,1.1,2,1.1,1.5,4,7,3,1,1.1,2,d,3.1,5,1,6.1,a.1,2.x,' +
  '20,y.5,r.3,8,10,f.1,1.1b,y,5,2,7.2,4.5,q.1x,12.9,15.1,1.3,2i.4,1w.4,2a.5,7,1r,1,4.1,7,1,4.1,13,1,4.1,' +
  'v,1,4.1,7,1,4.1,7,7,n,v,1,4.1,7,13,j.5,s.y,2d.b,hi.8,t.2,29.e,d,7.a,n.8,k.b,d,3,2.b,2l.2,a.l,f,a.5,' +
  '2g.7,16.11x,4c.3,2i.5,m.1,6.1,12.1,6.1,8,1,1,1,v.1,1h,f,e.1,6,j.1,3,9,2b.3,1.6,5.5,8.1,r.g,i.t,r.k,' +
  '1n.1,f.6,1d.b,fz.1c,13.o,b.k,4f,7o.1,2,2t.1,a.3a,4,4.1,s,z,1,4.2,1,7.1,1g.2,o,e.g,s.3,ls.ov,q,2h.b,' +
  '5y.p,c.3,1s,2e.1,2v.4,14.3,2m,14.1j,19.2,10.c,17.2,25.3,1b,3b.3,2r.1,v,52u.21,g4m.2h,wd.2,1j.1fc,' +
  '8mc.2j,6r2.1,1n.44,7.b,5.4,q,5,1,2,2,30.w,a5.f,1s.1,1i.7,19.2,g.f,4.b,n.1,a,j,4.3,5,3r.1,1,5a.2,6.1,' +
  '6.1,6.1,3.2,7,7.9,7.lb,v,4.b,r.50,12.1,12.148h,6u.9,13.2,50.f5,2d,1z,2.1,1.1,2.1,4,c,1,4,2,1t,4.1,8,' +
  '7,s,4,5,1.2,7,9e.3,82.3,1e.7wd,wyh.g14,f2.15r,2.1ekd,2.1ekd,2.1ekd,2.1ekd,2.1ekd,2.1ekd,2.1ekd,' +
  '2.1ekd,2.1ekd,2.1ekd,2.1ekd,2,1.t,2o.1egt',
);
/** D.2 */
const L_CAT = packedRanges(
  '1t.p,6.p,1b,a,4,5.m,1.u,1.88,1.h,s.2l,2.8,2.6,e.1,e.4,9,3v,b,1.2,1,1.j,1.17,1.11,a.3m,7.1w,1.11,2.1,' +
  '6.f,x.11,2.6,1.12,1,op,1.1g,3.3,8.3,3,7.9,2.c,h.1,1.7,2.1,2.l,1.6,1,3.3,4.2,6.1,2.1,a,4.1,1.2,4.b,' +
  '2.6,a.5,4.1,2.l,1.6,1.1,1.1,1.1,4.2,o.3,1,7.9,2.2,e,1.6,1,1.2,1.l,1.6,1.1,1.4,3.3,8,1.1,3,f,5.9,i.1,' +
  '1.7,2.1,2.l,1.6,1.1,2.3,3.1,1,6.1,2.1,a,4.1,1.2,4.a,i,1.5,3.2,1.3,3.1,1,1.1,3.1,3.2,3.7,1.2,4.1,1.1,' +
  '3.2,1.2,a,f.b,e.2,1.7,1.2,1.m,1.9,1.4,7.3,r.1,4.9,i.1,1.7,1.2,1.m,1.9,1.4,4,1.4,2.1,1.1,9.1,7,1.1,' +
  '4.9,i.1,1.7,1.2,1.m,1.f,4.2,5.2,1.2,a,8.1,4.9,i.1,1.h,3.n,1.8,1,2.6,8.2,6.7,i.2,c.1b,1.1,c.6,8.c,' +
  '11.1,1,2.1,1,2,6.3,1.6,1.2,1,1,2.1,1.3,1.1,9,2.4,1,9.9,2.1,y.n,2.q,1,1,5.9,1.x,k,5,2.3,1e.7,1.5,2,' +
  '1c.x,1.4,1.1,1,4,6,7.n,20.11,a.14,2,4.2h,5.1v,5.29,6.6,1.1q,1,1.3,2.6,1,1.3,2.12,1,1.3,2.u,1,1.3,2.6,' +
  '1,1.3,2.6,1.6,1.m,1.u,1,1.3,2.6,1.12,1.i,6.r,z.2c,c.hh,a.p,5.28,f.c,1.3,e.h,3.1,9.h,e.c,1.2,f.1i,7.7,' +
  '1.1,b.6,1,3.9,12.9,6.2f,8.14,11z.4b,4.2h,6.l,2.5,2.11,2.5,2.7,1,1,1,1.u,2.1g,1.6,1,3.2,1.6,3.3,2.5,' +
  '4.c,5.2,1.6,h,2q,d,3m,4,2.9,1,3.4,6,1,1,1.3,1.2,1.6,3.2,5.4,m.z,c2.1w,q,7a.25,26z.2,p.8,7.4,2.4,4.2d,' +
  '6.2,1.2h,1.3,5.13,4.2l,1.13,1k.18,3.z,s.r,3.1d,f.b,4.1a,1.3a,4.2q,2.u,1.52t,22.g4l,2i.wc,1gz.8mb,' +
  '2k.6r1,2.1m,45.6,c.4,sp.p,6.p,b.2g,3.5,2.5,2.5,2.2,mb.u,1.3,c.q,51.11,2.11,148i.6t,a.12,3.1o,3.8,g.1,' +
  '7.t,4.1b,f6.2c,1.1y,1.1,2,2.1,2.3,1.b,1,1.3,1.1,1.1s,1.3,2.7,1.6,1.r,1.3,1.4,1,3.6,1.9d,4.81,7xy.wye,' +
  'g15.f1,gvz6.1ekd,2.1ekd',
);
