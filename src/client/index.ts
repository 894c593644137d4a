/** The typed client of delivery-hub's r_k-compatible API; its wire types are generated. */
export * from './delivery-hub-client.js';
export { DeliveryHubError } from './delivery-hub-error.js';
export type { components, paths } from './generated/api-types.js';
