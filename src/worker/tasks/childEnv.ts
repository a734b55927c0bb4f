const SECRET_NAME = /TOKEN|SECRET|PASSWORD|API_KEY/i;
// RC_* carries the worker's own configuration (join token, device secret, main node address).
const WORKER_CONFIG_NAME = /^RC_/i;

/** The worker's environment minus its secrets and its own configuration, for task processes. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const safe: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!SECRET_NAME.test(name) && !WORKER_CONFIG_NAME.test(name)) safe[name] = value;
  }
  return safe;
}
