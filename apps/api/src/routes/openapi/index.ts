import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './document.js';

export function registerOpenApiRoute(app: FastifyInstance): void {
  const doc = openApiDocument('0.1.0');
  app.get('/api/v1/openapi.json', async () => doc);
}
