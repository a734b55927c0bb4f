export { collectProfile } from './collectProfile.ts';
export type { CollectProfileOptions } from './collectProfile.ts';
export { MetricsSampler } from './metricsSampler.ts';
export type { MetricsSamplerOptions } from './metricsSampler.ts';
export { defaultProbeEnvironment } from './probeEnvironment.ts';
export type { ProbeEnvironment } from './probeEnvironment.ts';
