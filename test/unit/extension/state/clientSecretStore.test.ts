import assert from 'node:assert/strict';
import { SecretStorageClientSecrets } from '../../../../src/extension/state/clientSecretStore';
import { InMemorySecretStorage, RecordingLog } from '../../../support/secretStorage';

const ISSUER = 'https://id.example.com';
const CLIENT = 'kubernetes';
const SECRET = 's3cr3t-Value-that-must-never-be-logged';

function makeStore() {
  const storage = new InMemorySecretStorage();
  const log = new RecordingLog();
  return { storage, log, store: new SecretStorageClientSecrets(storage, log.asChannel()) };
}

describe('client secret store (VS Code secret storage)', () => {
  it('stores, reads back and deletes a secret', async () => {
    const { store } = makeStore();
    assert.equal(await store.get(ISSUER, CLIENT), undefined);
    await store.set(ISSUER, CLIENT, SECRET);
    assert.equal(await store.get(ISSUER, CLIENT), SECRET);
    await store.delete(ISSUER, CLIENT);
    assert.equal(await store.get(ISSUER, CLIENT), undefined);
  });

  it('keeps one entry per issuer and client ID, in secret storage only', async () => {
    const { storage, store } = makeStore();
    await store.set(ISSUER, CLIENT, 'a');
    await store.set(ISSUER, 'other-client', 'b');
    await store.set('https://id.example.com/realms/x', CLIENT, 'c');
    assert.equal(storage.entries.size, 3);
    assert.equal(await store.get(ISSUER, CLIENT), 'a');
    assert.equal(await store.get(ISSUER, 'other-client'), 'b');
    assert.equal(await store.get('https://id.example.com/realms/x', CLIENT), 'c');
    await store.delete(ISSUER, 'other-client');
    assert.deepEqual([...storage.entries.values()].sort(), ['a', 'c']);
  });

  it('never mixes up issuer and client ID, whatever characters they hold', async () => {
    const { store } = makeStore();
    // Joined with a separator these two pairs would give the same key.
    await store.set('https://a', 'b:c', 'first');
    await store.set('https://a:b', 'c', 'second');
    assert.equal(await store.get('https://a', 'b:c'), 'first');
    assert.equal(await store.get('https://a:b', 'c'), 'second');
    assert.notEqual(
      SecretStorageClientSecrets.key('https://a', 'b:c'),
      SecretStorageClientSecrets.key('https://a:b', 'c'),
    );
  });

  it('reading from a failing keychain gives no secret and logs why, without the secret', async () => {
    const { storage, log, store } = makeStore();
    await store.set(ISSUER, CLIENT, SECRET);
    storage.failWith = new Error('the keychain is locked');
    assert.equal(await store.get(ISSUER, CLIENT), undefined);
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0], /^error: Could not read the client secret from secret storage: the keychain is locked/);
    assert.ok(!log.lines.join('\n').includes(SECRET));
  });

  it('storing and deleting in a failing keychain fail with a clear message that does not hold the secret', async () => {
    const { storage, log, store } = makeStore();
    storage.failWith = new Error('no keyring daemon');
    await assert.rejects(store.set(ISSUER, CLIENT, SECRET), (error: Error) => {
      assert.equal(error.message, 'Could not store the client secret in secret storage: no keyring daemon');
      assert.ok(!error.message.includes(SECRET));
      return true;
    });
    await assert.rejects(store.delete(ISSUER, CLIENT), {
      message: 'Could not delete the client secret from secret storage: no keyring daemon',
    });
    assert.ok(!log.lines.join('\n').includes(SECRET));
  });

  it('a keychain failure that is not an Error is still described', async () => {
    const { storage, store } = makeStore();
    storage.failWith = 'plain string failure' as unknown as Error;
    await assert.rejects(store.set(ISSUER, CLIENT, SECRET), {
      message: 'Could not store the client secret in secret storage: plain string failure',
    });
  });
});
