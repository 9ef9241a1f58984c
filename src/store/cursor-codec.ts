// Opaque page cursors. A cursor names a keyset position, a row id; as plain
// base64 of `c1:<uuid>` it handed every reader of a page the ids of its rows,
// rows the reader may not be allowed to see on their own. Here the id is
// encrypted (AES-256 on its single 16-byte block, deterministic so a cursor
// is stable) and authenticated (HMAC-SHA-256, 8 bytes), under keys derived
// from GATEWAY_SECRET_KEY: unreadable, unforgeable, and checked before use.
// Cursors of one key do not survive a key rotation: a client pages again.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isUuid } from './uuid.ts';

export interface CursorCodec {
  encode(id: string): string;
  /** The id a cursor stands for, or undefined for anything this codec did not issue. */
  decode(cursor: string): string | undefined;
}

const TAG_BYTES = 8;
const CURSOR_LENGTH = Math.ceil(((16 + TAG_BYTES) * 4) / 3);

export function cursorCodec(secret: Buffer): CursorCodec {
  const encryptionKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'identity-gateway page cursor encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'identity-gateway page cursor authentication', 32));
  const tag = (block: Buffer) => createHmac('sha256', macKey).update(block).digest().subarray(0, TAG_BYTES);
  const block = (mode: 'encrypt' | 'decrypt', input: Buffer) => {
    const cipher = mode === 'encrypt' ? createCipheriv('aes-256-ecb', encryptionKey, null) : createDecipheriv('aes-256-ecb', encryptionKey, null);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(input), cipher.final()]);
  };
  return {
    encode(id) {
      const sealed = block('encrypt', Buffer.from(id.replaceAll('-', ''), 'hex'));
      return Buffer.concat([sealed, tag(sealed)]).toString('base64url');
    },
    decode(cursor) {
      if (cursor.length !== CURSOR_LENGTH) return undefined;
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length !== 16 + TAG_BYTES) return undefined;
      const sealed = bytes.subarray(0, 16);
      if (!timingSafeEqual(bytes.subarray(16), tag(sealed))) return undefined;
      const hex = block('decrypt', sealed).toString('hex');
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      return isUuid(id) ? id : undefined;
    },
  };
}
