import { createFetchTransport, createUndiciTransport } from '@sf/core';
import { transportConformance } from '@sf/core/testing';

// Both built-in transports pass the suite that plugin authors run against theirs.
transportConformance('undici', () => createUndiciTransport());
transportConformance('fetch (Node global fetch)', () => createFetchTransport(fetch));
