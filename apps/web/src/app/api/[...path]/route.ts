import { handleApiRequest } from '../../../server/api-proxy';

// Every answer comes from the live API: never prerender or cache this route.
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handleApiRequest(request);
}

export function HEAD(request: Request): Promise<Response> {
  return handleApiRequest(request);
}
