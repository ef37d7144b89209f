// The fetch stage's public face: everything other stages may call.
export { fetchFeed, fetchOptionsFromConfig, type FeedRequest, type FetchOptions } from './http.js';
export { createFetchLimiter, type FetchLimiter } from './limiter.js';
export { decodeBody, type DecodeHints } from './charset.js';
export { blockedAddressReason } from './address.js';
export { createConnectionPool, type ConnectionPool } from './hop.js';
