/**
 * What an idle worker keeps loaded: the bundle as a user runs it, joined over TLS, asked for its
 * list of loaded Node modules (a preload answers SIGUSR2) before and after tasks arrive.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, Proc, ProcessGroup, WORKER_BUNDLE } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const PRELOAD = `
const { writeFileSync } = require('node:fs');
process.on('SIGUSR2', () =>
  writeFileSync(process.env.RC_TEST_MODULE_LIST, JSON.stringify(process.moduleLoadList)),
);
`;

test(
  'an idle worker loads no module it does not use; a task loads what it needs when it comes',
  { skip: process.platform === 'win32' ? 'asks the worker with SIGUSR2' : false },
  async () => {
    using dir = tempDir();
    await using procs = new ProcessGroup();
    const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
    const preload = join(dir.path, 'preload.cjs');
    const listFile = join(dir.path, 'modules.json');
    writeFileSync(preload, PRELOAD);
    const worker = procs.add(
      new Proc(
        [
          '--require',
          preload,
          WORKER_BUNDLE,
          '--join',
          `127.0.0.1:${main.tcpPort}`,
          '--device-id',
          'lean',
          '--state-dir',
          join(dir.path, 'w'),
          '--heartbeat-interval',
          '1',
        ],
        { RC_JOIN_TOKEN: main.joinToken, RC_TEST_MODULE_LIST: listFile },
      ),
    );
    const modules = async (): Promise<string[]> => {
      rmSync(listFile, { force: true });
      worker.child.kill('SIGUSR2');
      return waitFor(
        () => (existsSync(listFile) ? (JSON.parse(readFileSync(listFile, 'utf8')) as string[]) : null),
        10_000,
        'the module list',
      );
    };

    const device = await main.waitForDevice('lean');
    assert.equal(typeof device.metrics?.speed_score, 'number', 'the speed score was measured');
    const idle = await modules();
    assert.ok(idle.includes('NativeModule tls'), 'the list is real: the link to the main node is TLS');
    for (const unused of [
      // fs/promises pulls readline, the REPL history and file watchers along.
      'NativeModule fs/promises',
      'NativeModule internal/readline/interface',
      'NativeModule internal/fs/dir',
      // Only http_request resolves names.
      'NativeModule dns/promises',
      // The benchmark loop runs in a child process: `performance` is never touched here.
      'NativeModule internal/perf/performance',
    ]) {
      assert.ok(!idle.includes(unused), `an idle worker has loaded ${unused}`);
    }

    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const taskId = await main.submit({
        task_type: 'http_request',
        payload: { url: `http://localhost:${port}/` },
        requirements: { device_id: 'lean' },
      });
      await main.waitForTask(taskId);
    } finally {
      server.close();
    }
    assert.ok((await modules()).includes('NativeModule dns/promises'), 'loaded for the name to check');
  },
);
