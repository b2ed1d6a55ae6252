import { NextResponse } from 'next/server';
import { guardHost } from './server/host-guard';

/**
 * Next.js runs this before every request: no `matcher`, so pages, the /api/* forwarder (JSON and the tap and top
 * streams) and static files all pass the Host check. A DNS-rebinding page reaches this server under its own name
 * and gets 400; the allow-list is MESHVIZ_WEB_ALLOWED_HOSTS (src/config.ts).
 */
export function proxy(request: Request): Response {
  return guardHost(request) ?? NextResponse.next();
}
