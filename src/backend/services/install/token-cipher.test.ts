import { describe, expect, it } from 'vitest';
import { createTokenCipher, devTokenKey, parseTokenKeys } from './token-cipher';

const k1 = { id: 'k1', key: Buffer.alloc(32, 1) };
const k2 = { id: 'k2', key: Buffer.alloc(32, 2) };

describe('token cipher (AES-256-GCM with key ids)', () => {
  it('round-trips a token and never shows it in the ciphertext', () => {
    const c = createTokenCipher([k1]);
    const sealed = c.encrypt('sbx-at-secret-token', 'portal:1:access');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('secret');
    expect(c.decrypt(sealed, 'portal:1:access')).toBe('sbx-at-secret-token');
    expect(c.encrypt('same', 'x')).not.toBe(c.encrypt('same', 'x')); // a fresh IV each time
  });

  it('rotates: the first key encrypts, every listed key decrypts, a dropped key says so', () => {
    const old = createTokenCipher([k1]).encrypt('t', 'ctx');
    const rotated = createTokenCipher([k2, k1]);
    expect(rotated.decrypt(old, 'ctx')).toBe('t');
    expect(rotated.encrypt('t', 'ctx')).toMatch(/^v1\.k2\./);
    expect(() => createTokenCipher([k2]).decrypt(old, 'ctx')).toThrow(/key "k1", which TOKEN_KEYS no longer lists/);
  });

  it('refuses a ciphertext that was altered or moved to another portal or purpose', () => {
    const c = createTokenCipher([k1]);
    const sealed = c.encrypt('t', 'portal:1:access');
    expect(() => c.decrypt(sealed, 'portal:2:access')).toThrow();
    expect(() => c.decrypt(sealed, 'portal:1:refresh')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x').toString('base64url');
    expect(() => c.decrypt(parts.join('.'), 'portal:1:access')).toThrow();
    expect(() => c.decrypt('plaintext-token', 'portal:1:access')).toThrow(/not an encrypted token/);
  });

  it('parses TOKEN_KEYS and explains a bad entry', () => {
    expect(
      parseTokenKeys(`k2:${Buffer.alloc(32, 2).toString('base64')}, k1:${Buffer.alloc(32, 1).toString('base64')}`).map((k) => k.id),
    ).toEqual(['k2', 'k1']);
    expect(() => parseTokenKeys('nokey')).toThrow(/"<key id>:<base64 key>"/);
    expect(() => parseTokenKeys('k1:AAAA')).toThrow(/32 bytes/);
    expect(() => parseTokenKeys(`k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32).toString('base64')}`)).toThrow(/twice/);
    expect(devTokenKey('s').key).toHaveLength(32);
  });
});
