import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { API_TOKEN_FILE, JOIN_TOKEN_FILE, loadSecrets, writeSecret } from '../../src/main/secrets.ts';
import { SecretsWatcher } from '../../src/main/secretsWatcher.ts';
import { formatJoinToken } from '../../src/protocol/joinToken.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const logger = pino({ level: 'silent' });

test('SIGHUP reloads both tokens at once; one before follow() is harmless', () => {
  using dir = tempDir();
  const before = process.listenerCount('SIGHUP');
  const watcher = new SecretsWatcher(dir.path, logger);
  try {
    // The listener exists before the secrets do (without one, SIGHUP would end the process).
    assert.equal(process.listenerCount('SIGHUP'), before + 1);
    process.emit('SIGHUP', 'SIGHUP');
    const secrets = loadSecrets(dir.path, {}, null);
    watcher.follow(secrets);
    const rotated = formatJoinToken('a-new-join-secret', null);
    writeSecret(join(dir.path, JOIN_TOKEN_FILE), rotated);
    writeSecret(join(dir.path, API_TOKEN_FILE), 'a-new-api-token');
    process.emit('SIGHUP', 'SIGHUP');
    assert.equal(secrets.joinToken, rotated);
    assert.equal(secrets.joinSecret, 'a-new-join-secret');
    assert.equal(secrets.apiToken, 'a-new-api-token');
  } finally {
    watcher.close();
  }
  assert.equal(process.listenerCount('SIGHUP'), before, 'close() removes the listener');
});

test('a token file replaced by hand is picked up without a signal', async () => {
  using dir = tempDir();
  const watcher = new SecretsWatcher(dir.path, logger);
  try {
    const secrets = loadSecrets(dir.path, {}, null);
    watcher.follow(secrets);
    writeSecret(join(dir.path, API_TOKEN_FILE), 'edited-by-hand');
    await waitFor(() => secrets.apiToken === 'edited-by-hand', 5000, 'the poll to see the new API token');
  } finally {
    watcher.close();
  }
});
