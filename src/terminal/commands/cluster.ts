/** `cluster status|health|metrics`. */
import type { ClusterHealth } from '../../main/clusterHealth.ts';
import type { MetricsView } from '../../main/metrics.ts';
import type { ClusterStatus } from '../../main/service.ts';
import { ApiCallError } from '../client.ts';
import { clusterHealthText, clusterMetricsText, clusterStatusText } from '../render/cluster.ts';
import type { Handler } from './context.ts';

export const clusterHandlers: Record<string, Handler> = {
  'cluster status': async (_, { client, paint }) =>
    clusterStatusText(await client.json<ClusterStatus>('GET', '/api/v1/cluster/status'), paint),

  'cluster health': async (_, { client, paint }) => {
    try {
      return clusterHealthText(await client.json<ClusterHealth>('GET', '/api/v1/cluster/health'), paint);
    } catch (error) {
      // A degraded cluster answers 503 with the report in the details: show it, and fail.
      if (error instanceof ApiCallError && error.status === 503 && isHealth(error.details)) {
        return { output: clusterHealthText(error.details, paint), exitCode: 1 };
      }
      throw error;
    }
  },

  'cluster metrics': async (_, { client, paint }) =>
    clusterMetricsText(await client.json<MetricsView>('GET', '/api/v1/cluster/metrics'), paint),
};

function isHealth(value: unknown): value is ClusterHealth {
  return typeof value === 'object' && value !== null && 'components' in value && 'status' in value;
}
