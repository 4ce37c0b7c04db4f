export * from './databases.js';
export * from './conformance.js';
export * from './fixture-server.js';
export * from './hostile.js';
export * from './zip-file.js';
export * from './capture-logs.js';
