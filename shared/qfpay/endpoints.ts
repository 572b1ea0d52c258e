/** The Open API calls the till makes, and their paths under the environment's base URL. */
export type GatewayEndpoint = 'payment' | 'query' | 'close' | 'reversal' | 'refund';

export const ENDPOINT_PATHS: Readonly<Record<GatewayEndpoint, string>> = {
  payment: '/trade/v1/payment',
  query: '/trade/v1/query',
  close: '/trade/v1/close',
  reversal: '/trade/v1/reversal',
  refund: '/trade/v1/refund',
};

export const GATEWAY_ENDPOINTS = Object.keys(ENDPOINT_PATHS) as GatewayEndpoint[];
