import * as assert from 'node:assert/strict';
import { aggregateText, formatFieldError, goQuote, goQuoteList, goTimeUTC } from '../../../../src/core/authn/goformat';
import { parseGoURL } from '../../../../src/core/authn/gourl';

describe('Go formatting', () => {
  it('quotes like %q', () => {
    assert.equal(goQuote('plain'), '"plain"');
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('tab\there\n'), '"tab\\there\\n"');
    assert.equal(goQuote('\x01'), '"\\x01"');
    assert.equal(goQuote('é😀'), '"é😀"');
    assert.equal(goQuote('\u00a0'), '"\\u00a0"');
    assert.equal(goQuoteList([]), '[]');
    assert.equal(goQuoteList(['a', 'b']), '["a" "b"]');
  });

  it('prints time.Time like %v in UTC, fractions trimmed', () => {
    assert.equal(goTimeUTC(1257890400), '2009-11-10 22:00:00 +0000 UTC');
    assert.equal(goTimeUTC(1257890400.5), '2009-11-10 22:00:00.5 +0000 UTC');
    assert.equal(goTimeUTC(951782400), '2000-02-29 00:00:00 +0000 UTC');
    assert.equal(goTimeUTC(-1), '1969-12-31 23:59:59 +0000 UTC');
    assert.equal(goTimeUTC(253402300800), '10000-01-01 00:00:00 +0000 UTC');
  });

  it('formats field errors and aggregates', () => {
    assert.equal(formatFieldError('Required', 'issuer.url', ''), 'issuer.url: Required value');
    assert.equal(formatFieldError('Invalid', 'a', 'bad', 'x'), 'a: Invalid value: "x": bad');
    assert.equal(
      formatFieldError('TooMany', 'jwt', 'must have at most 64 items', 65),
      'jwt: Too many: 65: must have at most 64 items',
    );
    assert.equal(aggregateText(['a']), 'a');
    assert.equal(aggregateText(['a', 'b', 'a']), '[a, b]');
  });
});

describe('Go url.Parse subset', () => {
  it('splits scheme, user, query and fragment as Go does', () => {
    const u = parseGoURL('https://user@host:8443/path?q=1#frag');
    assert.ok(u.url);
    assert.deepEqual(
      [u.url.scheme, u.url.hasUser, u.url.rawQuery, u.url.fragment, u.url.host],
      ['https', true, 'q=1', 'frag', 'host:8443'],
    );
    assert.deepEqual(parseGoURL('HTTPS://host').url?.scheme, 'https');
    assert.equal(parseGoURL('https://host?').url?.rawQuery, '');
  });

  it('reports parse errors with Go text', () => {
    assert.equal(parseGoURL('https://host:port').error, 'parse "https://host:port": invalid port ":port" after host');
    assert.equal(parseGoURL(':foo').error, 'parse ":foo": missing protocol scheme');
    assert.equal(parseGoURL('https://ho st').error, 'parse "https://ho st": invalid character " " in host name');
    assert.equal(parseGoURL('https://x/\n').error, 'parse "https://x/\\n": net/url: invalid control character in URL');
  });
});
