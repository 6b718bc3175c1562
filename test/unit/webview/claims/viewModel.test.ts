import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../../src/webview/claims/protocol';
import {
  claimRows,
  decisiveClaimNames,
  expiryCountdown,
  formatRelative,
  formatUtc,
  headerRows,
  payloadJson,
  verdictHeadline,
} from '../../../../src/webview/claims/viewModel';

// 2026-11-28 17:00:00 UTC
const NOW_MS = Date.UTC(2026, 10, 28, 17, 0, 0);
const NOW_S = NOW_MS / 1000;

describe('claims webview view model', () => {
  describe('claimRows', () => {
    const claims = {
      sub: '643c3fba-370a-4738-92a6-9e7ec96cd99a',
      iss: 'https://id.example.com',
      exp: NOW_S + 3600,
      iat: NOW_S - 60,
      groups: ['kubernetes'],
      email_verified: false,
      custom_claim: 'x',
    };

    it('puts the registered claims first and unknown ones last, with a meaning for each', () => {
      const rows = claimRows(claims, NOW_MS);
      assert.deepEqual(
        rows.map((row) => row.name),
        ['iss', 'sub', 'exp', 'iat', 'email_verified', 'groups', 'custom_claim'],
      );
      assert.match(rows.find((row) => row.name === 'iss')!.meaning, /character for character/);
      assert.equal(rows.find((row) => row.name === 'custom_claim')!.meaning, 'Provider-specific claim.');
    });

    it('shows strings as they are and everything else as JSON', () => {
      const rows = claimRows(claims, NOW_MS);
      assert.equal(rows.find((row) => row.name === 'sub')!.value, claims.sub);
      assert.equal(rows.find((row) => row.name === 'groups')!.value, '["kubernetes"]');
      assert.equal(rows.find((row) => row.name === 'email_verified')!.value, 'false');
    });

    it('makes times readable in UTC with the distance from now', () => {
      const rows = claimRows(claims, NOW_MS);
      assert.deepEqual(rows.find((row) => row.name === 'exp')!.time, {
        utc: '2026-11-28 18:00:00 UTC',
        relative: 'in 1 h',
      });
      assert.deepEqual(rows.find((row) => row.name === 'iat')!.time, {
        utc: '2026-11-28 16:59:00 UTC',
        relative: '1 min ago',
      });
      assert.equal(rows.find((row) => row.name === 'sub')!.time, undefined);
    });

    it('leaves a time claim of the wrong type without a time', () => {
      const [row] = claimRows({ exp: '1749867571' }, NOW_MS);
      assert.equal(row.time, undefined);
      assert.equal(row.value, '1749867571');
    });

    it('marks the claims the API server decides on', () => {
      const decisive = decisiveClaimNames('email', 'groups');
      const rows = claimRows({ ...claims, email: 'a@b.c' }, NOW_MS, decisive);
      const marked = rows
        .filter((row) => row.decisive)
        .map((row) => row.name)
        .sort();
      assert.deepEqual(marked, ['email', 'email_verified', 'exp', 'groups', 'iss']);
    });
  });

  it('explains the header, alg first among the decisive ones', () => {
    const rows = headerRows({ alg: 'EdDSA', kid: 'k1' });
    assert.match(rows[0].meaning, /never EdDSA/);
    assert.deepEqual(
      rows.map((row) => [row.name, row.decisive]),
      [
        ['alg', true],
        ['kid', false],
      ],
    );
  });

  describe('expiryCountdown', () => {
    it('counts down minutes and seconds, then hours', () => {
      assert.deepEqual(expiryCountdown({ exp: NOW_S + 125 }, NOW_MS), { expired: false, text: 'expires in 2:05' });
      assert.deepEqual(expiryCountdown({ exp: NOW_S + 3 * 3600 + 7 }, NOW_MS), {
        expired: false,
        text: 'expires in 3:00:07',
      });
    });

    it('treats exp equal to now as still valid, as the API server does (no leeway, expired only before now)', () => {
      assert.equal(expiryCountdown({ exp: NOW_S }, NOW_MS).expired, false);
      assert.equal(expiryCountdown({ exp: NOW_S - 1 }, NOW_MS).expired, true);
    });

    it('says how long ago it expired', () => {
      assert.deepEqual(expiryCountdown({ exp: NOW_S - 180 }, NOW_MS), { expired: true, text: 'expired 3 min ago' });
    });

    it('treats a missing or non-numeric exp as expired, like the API server', () => {
      assert.equal(expiryCountdown({}, NOW_MS).expired, true);
      assert.equal(expiryCountdown({ exp: '2026' }, NOW_MS).expired, true);
    });
  });

  it('formats relative times coarsely', () => {
    assert.equal(formatRelative(2_000), 'just now');
    assert.equal(formatRelative(45_000), 'in 45 s');
    assert.equal(formatRelative(-(2 * 3600 + 30 * 60) * 1000), '2 h 30 min ago');
    assert.equal(formatRelative(5 * 86_400_000), 'in 5 days');
  });

  it('formats UTC times the same in every time zone and survives nonsense', () => {
    assert.equal(formatUtc(0), '1970-01-01 00:00:00 UTC');
    assert.equal(formatUtc(Number.NaN), 'NaN');
    assert.equal(formatUtc(1e20), '100000000000000000000');
  });

  it('writes the verdict headline with the identity first', () => {
    assert.equal(
      verdictHeadline({
        status: 'accepted',
        username: 'oidc:jane',
        groups: ['oidc:kubernetes', 'oidc:dev'],
        error: null,
      }),
      'Accepted as oidc:jane in groups oidc:kubernetes, oidc:dev',
    );
    assert.equal(
      verdictHeadline({ status: 'accepted', username: 'oidc:jane', groups: [], error: null }),
      'Accepted as oidc:jane in no groups',
    );
    assert.equal(
      verdictHeadline({ status: 'rejected', username: null, groups: [], error: 'oidc: email not verified' }),
      'Rejected: oidc: email not verified',
    );
  });

  it('copies the payload as indented JSON', () => {
    assert.equal(payloadJson({ sub: 'a', groups: ['g'] }), '{\n  "sub": "a",\n  "groups": [\n    "g"\n  ]\n}');
  });

  describe('parseWebviewMessage', () => {
    it('accepts the protocol’s messages', () => {
      assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
      assert.deepEqual(parseWebviewMessage({ type: 'copy', what: 'payload' }), { type: 'copy', what: 'payload' });
      assert.deepEqual(parseWebviewMessage({ type: 'openFile', file: '/w/crb.yaml', line: 3 }), {
        type: 'openFile',
        file: '/w/crb.yaml',
        line: 3,
      });
      assert.deepEqual(parseWebviewMessage({ type: 'rendered', revision: 2, extra: 'dropped' }), {
        type: 'rendered',
        revision: 2,
      });
    });

    it('refuses unknown types and malformed fields', () => {
      assert.equal(parseWebviewMessage(null), undefined);
      assert.equal(parseWebviewMessage('ready'), undefined);
      assert.equal(parseWebviewMessage({ type: 'runShell' }), undefined);
      assert.equal(parseWebviewMessage({ type: 'copy', what: 'secret' }), undefined);
      assert.equal(parseWebviewMessage({ type: 'openFile', file: 42 }), undefined);
      assert.equal(parseWebviewMessage({ type: 'rendered' }), undefined);
    });
  });
});
