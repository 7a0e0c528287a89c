export * from './config-info';
export * from './buckets';
export * from './histogram-quantile';
export * from './rate';
export * from './panels';
export * from './promql';
export * from './series';
export * from './grafana';
