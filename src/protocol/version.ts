/** Bumped only for incompatible changes; a main node accepts every version it lists. */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

/** Defaults from the original Retire-Cluster, kept so old deployments behave the same. */
export const DEFAULT_TCP_PORT = 8080;
export const DEFAULT_HTTP_PORT = 8081;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
/**
 * Deepest JSON nesting a message may have. V8's JSON.stringify overflows its stack a few thousand
 * levels down, and the main node stringifies what it stores: deeper input would fail the commit.
 */
export const MAX_JSON_DEPTH = 1000;
