export type { DashboardConfigInfo } from '@ebpf-exporter/dashboard-model';
export {
  dashboardPlugin,
  DEFAULT_HISTORY_MAX_BYTES,
  type DashboardInfo,
  type DashboardOptions,
  type ScrapeFeed,
  type ScrapeListener,
} from './dashboard-plugin';
export { dashboardConfigInfo } from './config-info';
export { MetricHistory, type HistoryLimits, type RangeQuery, type SampleTimes } from './metric-history';
