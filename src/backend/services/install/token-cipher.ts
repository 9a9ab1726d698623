// Tokens at rest: AES-256-GCM with a key named by its id, so keys can rotate. The first key of
// TOKEN_KEYS encrypts; every listed key decrypts. The ciphertext is bound to its portal and
// purpose (additional authenticated data), so a token copied to another row does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export type TokenKey = { id: string; key: Buffer };

export interface TokenCipher {
  /** The id of the key that encrypts. */
  readonly keyId: string;
  encrypt(plaintext: string, context: string): string;
  /** Throws when the key id is unknown or the ciphertext was altered or moved. */
  decrypt(ciphertext: string, context: string): string;
}

const FORMAT = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `TOKEN_KEYS` ("k2:base64,k1:base64"; each key 32 bytes); throws a sentence on a bad entry. */
export function parseTokenKeys(value: string): TokenKey[] {
  const keys = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      if (!KEY_ID.test(id)) throw new Error('each TOKEN_KEYS entry is "<key id>:<base64 key>" (id: letters, digits, _ or -)');
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new Error(`TOKEN_KEYS key "${id}" must be 32 bytes of base64 (try: openssl rand -base64 32)`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error('TOKEN_KEYS lists no key');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('TOKEN_KEYS uses a key id twice');
  return keys;
}

/** A development key derived from a local secret (sandbox mode only: never for real tokens). */
export function devTokenKey(secret: string): TokenKey {
  return { id: 'dev', key: createHash('sha256').update(`tiller-dev-token-key:${secret}`).digest() };
}

export function createTokenCipher(keys: readonly TokenKey[]): TokenCipher {
  const first = keys[0];
  if (!first) throw new Error('a token cipher needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const b64 = (b: Buffer) => b.toString('base64url');
  return {
    keyId: first.id,
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', first.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, first.id, b64(iv), b64(cipher.getAuthTag()), b64(data)].join('.');
    },
    decrypt(ciphertext, context) {
      const parts = ciphertext.split('.');
      if (parts.length !== 5 || parts[0] !== FORMAT) throw new Error('not an encrypted token');
      const key = byId.get(parts[1]!);
      if (!key) throw new Error(`token encrypted with key "${parts[1]}", which TOKEN_KEYS no longer lists`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2]!, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(parts[3]!, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[4]!, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
