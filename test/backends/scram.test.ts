import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_PASSWORD_BYTES,
  parseScramVerifier,
  saslprep,
  type ScramVerifier,
  scramSha256Verifier,
  verifyScramPassword,
} from '../../src/backends/scram.ts';

const B64 = '[A-Za-z0-9+/]+={0,2}';

describe('scramSha256Verifier', () => {
  it('has the layout Postgres keeps in pg_authid.rolpassword, with a fresh 16-byte salt each time', () => {
    const first = scramSha256Verifier('correct horse battery staple');
    const second = scramSha256Verifier('correct horse battery staple');

    expect(first).toMatch(new RegExp(`^SCRAM-SHA-256\\$4096:${B64}\\$${B64}:${B64}$`));
    const parsed = parseScramVerifier(first);
    expect(parsed?.iterations).toBe(4096);
    expect(parsed?.salt).toHaveLength(16);
    expect(parsed?.storedKey).toHaveLength(32);
    expect(parsed?.serverKey).toHaveLength(32);
    expect(second).not.toBe(first);
  });

  it('honours a given salt and iteration count, and is then deterministic', () => {
    const salt = Buffer.from('0123456789abcdef');
    const verifier = scramSha256Verifier('pw', { salt, iterations: 10_000 });

    expect(verifier).toMatch(/^SCRAM-SHA-256\$10000:MDEyMzQ1Njc4OWFiY2RlZg==\$/);
    expect(scramSha256Verifier('pw', { salt, iterations: 10_000 })).toBe(verifier);
    expect(() => scramSha256Verifier('pw', { iterations: 0 })).toThrow(RangeError);
    expect(() => scramSha256Verifier('pw', { iterations: 1.5 })).toThrow(RangeError);
    expect(() => scramSha256Verifier('pw', { salt: new Uint8Array() })).toThrow(RangeError);
  });

  it('reproduces the RFC 7677 example exchange for "pencil"', () => {
    // RFC 7677 §3: the server holds only StoredKey and ServerKey, so checking
    // the client's proof and producing the server's signature from them is
    // exactly what Postgres does at login.
    const verifier = parseScramVerifier(scramSha256Verifier('pencil', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64') }));
    if (!verifier) throw new Error('unparseable verifier');
    const authMessage =
      'n=user,r=rOprNGfwEbeRWgbNEkqO,' +
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,' +
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';

    expect(proofMatches(verifier, authMessage, 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')).toBe(true);
    expect(serverSignature(verifier, authMessage)).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('refuses passwords Postgres could not hold or a client could not present', () => {
    expect(() => scramSha256Verifier('')).toThrow('password must not be empty');
    expect(() => scramSha256Verifier('a\u0000b')).toThrow('password must not contain NUL characters');
    expect(() => scramSha256Verifier('a\ud800b')).toThrow('password must be valid Unicode text');
    expect(() => scramSha256Verifier('x'.repeat(MAX_PASSWORD_BYTES + 1))).toThrow(`at most ${MAX_PASSWORD_BYTES} bytes`);
    expect(() => scramSha256Verifier('é'.repeat(MAX_PASSWORD_BYTES / 2 + 1))).toThrow(`at most ${MAX_PASSWORD_BYTES} bytes`);
  });

  it('SASLprep maps and normalises non-ASCII text, and keeps the original wherever RFC 4013 would refuse it', () => {
    expect(saslprep('plain\u0001ascii')).toBe('plain\u0001ascii');
    expect(saslprep('ｐａｓｓ\u00a0ｗｏｒｄ')).toBe('pass word');
    expect(saslprep('soft\u00adhyphen')).toBe('softhyphen');
    expect(saslprep('\ue000ｐｗ')).toBe('\ue000ｐｗ');
    expect(saslprep('\u{1f600}ｐｗ')).toBe('\u{1f600}ｐｗ');
    expect(saslprep('\u05d0ｂ\u05d1')).toBe('\u05d0ｂ\u05d1');
  });

  it('verifyScramPassword accepts the password a verifier was made from and nothing else', () => {
    const verifier = scramSha256Verifier('s3cret');

    expect(verifyScramPassword(verifier, 's3cret')).toBe(true);
    expect(verifyScramPassword(verifier, 'S3cret')).toBe(false);
    expect(verifyScramPassword('SCRAM-SHA-256$4096:c2FsdA==$bm90LWEta2V5:bm90LWEta2V5', 's3cret')).toBe(false);
    expect(verifyScramPassword('md5abc', 's3cret')).toBe(false);
  });
});

describe('a login with the pg client against a server that holds only the verifier', () => {
  // pg_hba on the test server trusts 127.0.0.1, so a real server never runs
  // SCRAM there. This stand-in speaks just enough of the wire protocol to run
  // the server side of RFC 5802 from the verifier, so pg's own client code
  // proves the password against it.
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function login(verifier: string, password: string): Promise<void> {
    const parsed = parseScramVerifier(verifier);
    if (!parsed) throw new Error('unparseable verifier');
    const server = scramServer(parsed);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'ada', database: 'ada', password });
    await client.connect();
    await client.end();
  }

  it('succeeds with the password the verifier was made from', async () => {
    await expect(login(scramSha256Verifier('correct horse battery staple'), 'correct horse battery staple')).resolves.toBeUndefined();
  });

  it('fails with any other password', async () => {
    await expect(login(scramSha256Verifier('correct horse battery staple'), 'correct horse battery stapler')).rejects.toMatchObject({
      code: '28P01',
    });
  });

  it('succeeds for a password that SASLprep normalises, as pg normalises it too', async () => {
    await expect(login(scramSha256Verifier('ｐａｓｓ\u00a0ｗｏｒｄ'), 'pass word')).resolves.toBeUndefined();
  });
});

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function proofMatches(verifier: ScramVerifier, authMessage: string, proofBase64: string): boolean {
  const proof = Buffer.from(proofBase64, 'base64');
  const signature = hmac(verifier.storedKey, authMessage);
  const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (signature[i] ?? 0)));
  return createHash('sha256').update(clientKey).digest().equals(verifier.storedKey);
}

function serverSignature(verifier: ScramVerifier, authMessage: string): string {
  return hmac(verifier.serverKey, authMessage).toString('base64');
}

function message(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}

function authentication(code: number, data = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(code);
  return message('R', Buffer.concat([head, data]));
}

function scramServer(verifier: ScramVerifier): Server {
  return createServer((socket) => {
    let pending = Buffer.alloc(0);
    let started = false;
    let clientFirstBare = '';
    let serverFirst = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          // The startup packet has no type byte: length, protocol, parameters.
          if (pending.length < 4 || pending.length < pending.readInt32BE(0)) return;
          pending = pending.subarray(pending.readInt32BE(0));
          started = true;
          socket.write(authentication(10, Buffer.from('SCRAM-SHA-256\0\0')));
          continue;
        }
        if (pending.length < 5 || pending.length < 1 + pending.readInt32BE(1)) return;
        const type = String.fromCharCode(pending[0] ?? 0);
        const body = pending.subarray(5, 1 + pending.readInt32BE(1));
        pending = pending.subarray(1 + pending.readInt32BE(1));
        if (type === 'X') {
          socket.end();
          return;
        }
        if (!serverFirst) {
          // SASLInitialResponse: mechanism\0, int32 length, "n,,n=*,r=<nonce>".
          const nul = body.indexOf(0);
          const data = body.subarray(nul + 5).toString();
          clientFirstBare = data.split(',').slice(2).join(',');
          const clientNonce = /r=([^,]+)/.exec(clientFirstBare)?.[1] ?? '';
          serverFirst = `r=${clientNonce}${randomBytes(18).toString('base64')},s=${verifier.salt.toString('base64')},i=${verifier.iterations}`;
          socket.write(authentication(11, Buffer.from(serverFirst)));
          continue;
        }
        const clientFinal = body.toString();
        const proofAt = clientFinal.lastIndexOf(',p=');
        const authMessage = `${clientFirstBare},${serverFirst},${clientFinal.slice(0, proofAt)}`;
        if (proofMatches(verifier, authMessage, clientFinal.slice(proofAt + 3))) {
          socket.write(
            Buffer.concat([
              authentication(12, Buffer.from(`v=${serverSignature(verifier, authMessage)}`)),
              authentication(0),
              message('Z', Buffer.from('I')),
            ]),
          );
        } else {
          const fields = 'SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "ada"\0\0';
          socket.end(message('E', Buffer.from(fields)));
        }
      }
    });
  });
}
