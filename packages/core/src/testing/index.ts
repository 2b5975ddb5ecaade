export {
  type ConformanceServer,
  type ConformanceServerState,
  startConformanceServer,
} from './conformance-server.js';
export { transportConformance } from './transport-conformance.js';
