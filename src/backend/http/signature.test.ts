import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_SKEW_MS, normalizeSignedUri, signV3, verifyV3 } from './signature';

// hubspot-platform.md §2.3: HMAC-SHA256(secret, method + uri + body + timestamp), Base64, with a
// fixed list of %XX sequences decoded in the URI, timestamps older than 5 minutes rejected.
const secret = 'shh-its-a-secret';
const now = 1_763_800_000_000;

function independentSignature(method: string, uri: string, body: string, ts: string): string {
  return createHmac('sha256', secret)
    .update(method + uri + body + ts)
    .digest('base64');
}

describe('normalizeSignedUri (hubspot-platform.md §2.3 step 2)', () => {
  it('decodes exactly the listed percent-encodings, in either case', () => {
    expect(normalizeSignedUri('https://a.example/p?x=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe("https://a.example/p?x=:/?@!$'()*,;");
    expect(normalizeSignedUri('https://a.example/p?x=%3a%2f')).toBe('https://a.example/p?x=:/');
  });
  it('leaves every other encoding alone', () => {
    expect(normalizeSignedUri('https://a.example/p?email=a%2Bb%40c.example&q=%20%26')).toBe(
      'https://a.example/p?email=a%2Bb@c.example&q=%20%26',
    );
  });
});

describe('verifyV3', () => {
  const uri = 'https://tiller.example/api/v1/tasks/buckets?limit=5&portalId=123&userId=9001&userEmail=ada%40acme.example';
  const signed = { method: 'GET', uri, rawBody: '', timestamp: String(now - 1000) };

  it('matches a signature computed independently from the documented algorithm', () => {
    const decodedUri = uri.replace('%40', '@');
    const expected = independentSignature('GET', decodedUri, '', signed.timestamp);
    expect(signV3(secret, 'GET', uri, '', signed.timestamp)).toBe(expected);
    expect(verifyV3({ ...signed, secret, signature: expected, now })).toEqual({ ok: true });
  });

  it('covers the raw body of a POST', () => {
    const body = '{"answer":"YES_CONTINUE"}';
    const sig = independentSignature('POST', 'https://tiller.example/api/x', body, signed.timestamp);
    expect(
      verifyV3({
        secret,
        method: 'POST',
        uri: 'https://tiller.example/api/x',
        rawBody: body,
        timestamp: signed.timestamp,
        signature: sig,
        now,
      }),
    ).toEqual({ ok: true });
    expect(
      verifyV3({
        secret,
        method: 'POST',
        uri: 'https://tiller.example/api/x',
        rawBody: body.replace('YES', 'NO'),
        timestamp: signed.timestamp,
        signature: sig,
        now,
      }),
    ).toEqual({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['no signature', { signature: undefined }, 'missing'],
    ['no timestamp', { timestamp: undefined }, 'missing'],
    ['a timestamp that is not a number', { timestamp: 'yesterday' }, 'bad-timestamp'],
    ['a timestamp 6 minutes old', { timestamp: String(now - 6 * 60_000) }, 'stale'],
    ['a timestamp 6 minutes in the future', { timestamp: String(now + 6 * 60_000) }, 'future'],
    ['a signature made with another secret', { secret: 'other' }, 'mismatch'],
    ['a query string tampered with', { uri: uri.replace('userId=9001', 'userId=9002') }, 'mismatch'],
    ['a truncated signature', { truncate: true }, 'mismatch'],
  ])('rejects %s', (_name, change, reason) => {
    const ts = 'timestamp' in change ? change.timestamp : signed.timestamp;
    let signature: string | undefined = signV3('secret' in change ? change.secret! : secret, 'GET', uri, '', ts ?? '0');
    if ('signature' in change) signature = change.signature;
    if ('truncate' in change) signature = signature?.slice(0, 10);
    const result = verifyV3({
      secret,
      method: 'GET',
      uri: 'uri' in change ? change.uri! : uri,
      rawBody: '',
      timestamp: ts,
      signature,
      now,
    });
    expect(result).toEqual({ ok: false, reason });
  });

  // hubspot-platform.md §2.2–2.4: `hs project dev`'s proxy signs the mapped local URL as is.
  it('accepts a signature over the URI as received (not decoded), as the local dev proxy makes it', () => {
    const asReceived = independentSignature('GET', uri, '', signed.timestamp);
    expect(uri).toContain('%40');
    expect(asReceived).not.toBe(signV3(secret, 'GET', uri, '', signed.timestamp));
    expect(verifyV3({ ...signed, secret, signature: asReceived, now })).toEqual({ ok: true });
  });

  it.each([
    ['another secret', () => createHmac('sha256', 'other').update(`GET${uri}${signed.timestamp}`).digest('base64'), uri],
    ['another query value, still encoded', () => independentSignature('GET', uri, '', signed.timestamp), uri.replace('ada%40', 'eve%40')],
    [
      'another user, in either form',
      () => independentSignature('GET', uri.replace('%40', '@'), '', signed.timestamp),
      uri.replace('userId=9001', 'userId=9002'),
    ],
    [
      'a path with an encoded slash signed decoded, sent with another path',
      () => independentSignature('GET', 'https://tiller.example/api/a/b', '', signed.timestamp),
      'https://tiller.example/api/a/c',
    ],
  ])('still rejects a signature over a different request (%s)', (_name, sign, sentUri) => {
    expect(verifyV3({ ...signed, uri: sentUri, secret, signature: sign(), now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts timestamps up to 5 minutes old or ahead', () => {
    for (const ts of [now - MAX_SKEW_MS, now + MAX_SKEW_MS]) {
      const sig = signV3(secret, 'GET', uri, '', String(ts));
      expect(verifyV3({ secret, method: 'GET', uri, rawBody: '', timestamp: String(ts), signature: sig, now })).toEqual({ ok: true });
    }
  });
});
