export { main } from './main.js';
export { sources } from './sources.js';
