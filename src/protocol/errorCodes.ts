/** Error codes shared by the wire protocol and the HTTP API. Strings are wire-stable. */
export const ErrorCode = {
  BadMessage: 'BAD_MESSAGE',
  FrameTooLarge: 'FRAME_TOO_LARGE',
  Unauthorized: 'UNAUTHORIZED',
  DeviceIdTaken: 'DEVICE_ID_TAKEN',
  NotRegistered: 'NOT_REGISTERED',
  UnsupportedMessage: 'UNSUPPORTED_MESSAGE',
  UnsupportedProtocol: 'UNSUPPORTED_PROTOCOL',
  Rejected: 'REJECTED',
  ValidationError: 'VALIDATION_ERROR',
  TaskNotFound: 'TASK_NOT_FOUND',
  DeviceNotFound: 'DEVICE_NOT_FOUND',
  NoTaskResult: 'NO_TASK_RESULT',
  InvalidState: 'INVALID_STATE',
  MissingApiKey: 'MISSING_API_KEY',
  InvalidApiKey: 'INVALID_API_KEY',
  NotFound: 'NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Conflict: 'CONFLICT',
  RateLimitExceeded: 'RATE_LIMIT_EXCEEDED',
  Internal: 'INTERNAL_ERROR',
  Unavailable: 'UNAVAILABLE',
  TlsRequired: 'TLS_REQUIRED',
  QueueFull: 'QUEUE_FULL',
  TooManyConnections: 'TOO_MANY_CONNECTIONS',
  AuthTimeout: 'AUTH_TIMEOUT',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error that carries a wire code, so every boundary can report it the same way. */
export class ClusterError extends Error {
  override name = 'ClusterError';
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}
