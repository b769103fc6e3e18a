export * from './metrics';
export * from './metrics.controller';
export * from './operations-metrics';
export * from './scraped-gauges';
export * from './http-metrics';
export * from './metrics-server';
