// Shared by the bin scripts: checks the Node version, then runs the CLI with an optional fixed command.
const [major] = process.versions.node.split('.').map(Number);

export async function launch(command) {
  if (major < 24) {
    process.stderr.write(
      `retire-cluster needs Node.js >= 24 (this is ${process.version}).\n` +
        'In a checkout, run it through npm so the pinned Node 24 is used: npx retire-cluster ...\n' +
        'A device that only runs tasks can use the single-file worker (Node >= 18): node dist/worker.cjs ...\n',
    );
    process.exit(1);
  }
  // Installed from the registry the sources are compiled (Node does not strip types under node_modules).
  const installed = import.meta.url.includes('/node_modules/');
  const { run } = await import(installed ? '../lib/cli/index.js' : '../src/cli/index.ts');
  const argv = process.argv.slice(2);
  process.exit(await run(command ? [command, ...argv] : argv));
}
