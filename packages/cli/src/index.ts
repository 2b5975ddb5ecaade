export { EXIT } from './errors.js';
export { createProgram, run } from './program.js';
