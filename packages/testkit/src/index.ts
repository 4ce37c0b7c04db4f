export * from './databases.js';
export * from './conformance.js';
