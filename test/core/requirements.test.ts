import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsType, meetsRequirements } from '../../src/core/requirements.ts';
import { profile } from './fixtures.ts';

const phone = profile('pixel', {
  role: 'mobile',
  platform: 'android',
  cpu_count: 8,
  memory_total_gb: 4,
  storage_total_gb: 64,
  gpu: 'Adreno 615',
  tags: ['camera', 'battery'],
});

test('no requirements: every device qualifies', () => {
  assert.equal(meetsRequirements(phone, {}), true);
});

test('each requirement field is checked, with the boundary value inclusive', () => {
  const cases: [string, Parameters<typeof meetsRequirements>[1], boolean][] = [
    ['device_id match', { device_id: 'pixel' }, true],
    ['device_id other', { device_id: 'nas' }, false],
    ['cpu equal', { min_cpu_cores: 8 }, true],
    ['cpu short', { min_cpu_cores: 9 }, false],
    ['memory equal', { min_memory_gb: 4 }, true],
    ['memory short', { min_memory_gb: 4.5 }, false],
    ['storage equal', { min_storage_gb: 64 }, true],
    ['storage short', { min_storage_gb: 65 }, false],
    ['platform match', { required_platform: 'android' }, true],
    ['platform other', { required_platform: 'linux' }, false],
    ['role match', { required_role: 'mobile' }, true],
    ['role other', { required_role: 'storage' }, false],
    ['tags subset', { required_tags: ['battery'] }, true],
    ['tags all', { required_tags: ['battery', 'camera'] }, true],
    ['tags empty', { required_tags: [] }, true],
    ['tags one missing', { required_tags: ['camera', 'gpu'] }, false],
    ['gpu required', { gpu_required: true }, true],
    ['gpu not required', { gpu_required: false }, true],
  ];
  for (const [name, req, expected] of cases) assert.equal(meetsRequirements(phone, req), expected, name);
});

test('a device without a GPU or known storage does not meet those requirements', () => {
  const bare = profile('bare', { gpu: null, storage_total_gb: null });
  assert.equal(meetsRequirements(bare, { gpu_required: true }), false);
  assert.equal(meetsRequirements(bare, { gpu_required: false }), true);
  assert.equal(meetsRequirements(bare, { min_storage_gb: 1 }), false);
  assert.equal(meetsRequirements(bare, { min_storage_gb: 0 }), true);
  assert.equal(meetsRequirements(profile('empty-gpu', { gpu: '' }), { gpu_required: true }), false);
});

test('all requirements must hold together', () => {
  assert.equal(
    meetsRequirements(phone, { required_platform: 'android', min_cpu_cores: 8, gpu_required: true }),
    true,
  );
  assert.equal(meetsRequirements(phone, { required_platform: 'android', min_memory_gb: 16 }), false);
});

test('acceptsType checks the profile task types exactly', () => {
  assert.equal(acceptsType(phone, 'echo'), true);
  assert.equal(acceptsType(phone, 'python_eval'), false);
  assert.equal(acceptsType(phone, 'ech'), false);
});
