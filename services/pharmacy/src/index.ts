export { gatewayMain } from '@rxledger/gateway';
