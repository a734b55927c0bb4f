import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveMainConfig } from '../../src/main/config.ts';

test('cors_origin takes one http(s) origin and refuses wildcards and lists', () => {
  assert.equal(resolveMainConfig({}).cors_origin, undefined, 'off by default');
  assert.equal(
    resolveMainConfig({ flags: { cors_origin: 'https://Dash.Example:8443' } }).cors_origin,
    'https://dash.example:8443',
  );
  assert.equal(
    resolveMainConfig({ env: { RC_CORS_ORIGIN: 'http://localhost:3000/' } }).cors_origin,
    'http://localhost:3000',
  );
  for (const bad of [
    '*',
    'https://a.example,https://b.example',
    'dash.example',
    'ftp://x.example',
    'https://x.example/app',
  ])
    assert.throws(() => resolveMainConfig({ flags: { cors_origin: bad } }), /cors_origin/, bad);
});

test('rate_limit_per_minute defaults to 600; 0 turns it off; negatives are refused', () => {
  assert.equal(resolveMainConfig({}).rate_limit_per_minute, 600);
  assert.equal(resolveMainConfig({ env: { RC_RATE_LIMIT_PER_MINUTE: '0' } }).rate_limit_per_minute, 0);
  assert.equal(resolveMainConfig({ flags: { rate_limit_per_minute: '120' } }).rate_limit_per_minute, 120);
  assert.throws(() => resolveMainConfig({ flags: { rate_limit_per_minute: '-1' } }), /rate_limit_per_minute/);
});
