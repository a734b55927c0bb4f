import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_OWNER_RULES, ownerPauseReason } from '../../src/worker/ownerPolicy.ts';
import { parseWorkerOptions, UsageError } from '../../src/worker/options.ts';
import { inSchedule, parseSchedule } from '../../src/worker/scheduleWindow.ts';
import { metrics } from '../core/fixtures.ts';

const at = (hh: number, mm: number) => new Date(2026, 0, 1, hh, mm);

test('schedule windows, including one over midnight', () => {
  const night = parseSchedule('22:00-07:00');
  assert.equal(inSchedule(night, at(23, 30)), true);
  assert.equal(inSchedule(night, at(6, 59)), true);
  assert.equal(inSchedule(night, at(7, 0)), false);
  assert.equal(inSchedule(night, at(12, 0)), false);
  const lunch = parseSchedule('12:00-13:00, 18:00-19:00');
  assert.equal(inSchedule(lunch, at(18, 30)), true);
  assert.throws(() => parseSchedule('25:00-26:00'), /not a time of day/);
  assert.throws(() => parseSchedule('noon'), /HH:MM-HH:MM/);
});

test('owner rules give a reason to pause, or null', () => {
  const rules = { ...NO_OWNER_RULES, schedule: parseSchedule('22:00-07:00') };
  assert.equal(ownerPauseReason(rules, metrics(), 4, at(12, 0)), 'outside schedule 22:00-07:00');
  assert.equal(ownerPauseReason(rules, metrics(), 4, at(23, 0)), null);
  const cpu = { ...NO_OWNER_RULES, maxCpuPercent: 50 };
  assert.equal(ownerPauseReason(cpu, metrics({ cpu_percent: 80 }), 4, at(0, 0)), 'CPU 80% > 50%');
  assert.equal(ownerPauseReason(cpu, metrics({ cpu_percent: null }), 4, at(0, 0)), null);
  const mem = { ...NO_OWNER_RULES, maxMemoryPercent: 70 };
  assert.equal(ownerPauseReason(mem, metrics({ memory_percent: 90 }), 4, at(0, 0)), 'memory 90% > 70%');
});

test('--only-when-idle discounts the load of the worker’s own tasks', () => {
  const idle = { ...NO_OWNER_RULES, onlyWhenIdle: true };
  assert.match(ownerPauseReason(idle, metrics({ load_avg: [3, 3, 3] }), 2, at(0, 0)) ?? '', /device in use/);
  assert.equal(
    ownerPauseReason(idle, metrics({ load_avg: [2.5, 2, 2], running_tasks: 2 }), 2, at(0, 0)),
    null,
  );
  assert.equal(ownerPauseReason(idle, metrics({ load_avg: null }), 2, at(0, 0)), null);
});

test('policy flags parse and reject nonsense', () => {
  const o = parseWorkerOptions(
    [
      '--min-battery',
      '40',
      '--max-temp',
      '50',
      '--max-cpu-percent',
      '75',
      '--only-when-idle',
      '--schedule',
      '22:00-07:00',
    ],
    {},
  );
  assert.equal(o.minBattery, 40);
  assert.equal(o.maxTemp, 50);
  assert.equal(o.maxCpuPercent, 75);
  assert.equal(o.onlyWhenIdle, true);
  assert.equal(o.schedule.length, 1);
  assert.throws(() => parseWorkerOptions(['--min-battery', '150'], {}), UsageError);
  assert.throws(() => parseWorkerOptions(['--schedule', 'always'], {}), UsageError);
});
