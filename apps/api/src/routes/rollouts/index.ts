import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import { routePattern } from '../route-pattern.js';
import { readRollouts } from './records.js';

const { rollouts } = ENDPOINTS;

/** The recorded rollouts, read from the config directory on every request (never cached: they change each step). */
export function registerRolloutRoutes(app: FastifyInstance, dir: string | undefined): void {
  app.get(routePattern(rollouts), async () => rollouts.response.schema.parse(await readRollouts(dir)));
}
