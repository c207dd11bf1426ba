export { CarnetMetrics, CARNET_METRICS } from './metrics';
