import * as assert from 'node:assert/strict';
import { hasPemCertificate, looksLikePem } from '../../../../src/core/text/pem';

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';

describe('PEM check', () => {
  it('accepts a certificate, a bundle, and a certificate after other text or a key', () => {
    assert.equal(hasPemCertificate(CERTIFICATE), true);
    assert.equal(hasPemCertificate(CERTIFICATE + CERTIFICATE), true);
    assert.equal(hasPemCertificate(`subject=CN=Pocket ID CA\n${CERTIFICATE}`), true);
    assert.equal(
      hasPemCertificate(`-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----\n${CERTIFICATE}`),
      true,
    );
  });

  it('refuses a file cut short after its BEGIN line, a key alone, a path, and empty text', () => {
    assert.equal(hasPemCertificate('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n'), false);
    assert.equal(hasPemCertificate('-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----\n'), false);
    assert.equal(hasPemCertificate('/var/lib/oidc/ca.pem'), false);
    assert.equal(hasPemCertificate(''), false);
  });

  it('tells PEM-framed text (of any kind) from a path or a placeholder', () => {
    assert.equal(looksLikePem('-----BEGIN PRIVATE KEY-----\n'), true);
    assert.equal(looksLikePem(CERTIFICATE), true);
    assert.equal(looksLikePem('/var/lib/oidc/ca.pem'), false);
    assert.equal(looksLikePem('${CA_PEM}'), false);
  });
});
