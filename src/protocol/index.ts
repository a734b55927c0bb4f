export * from './envelope.ts';
export * from './errorCodes.ts';
export * from './framer.ts';
export * from './messages.ts';
export * from './messageTypes.ts';
export * from './parse.ts';
export * from './version.ts';
