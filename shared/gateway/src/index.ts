export { createGateway, type Gateway, type GatewayOptions, type PartnerKind } from './gateway.ts';
export { DEFAULT_PORTS, gatewayEnvSchema, gatewayMain } from './gateway-main.ts';
