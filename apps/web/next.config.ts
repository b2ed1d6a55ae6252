import type { NextConfig } from 'next';

/**
 * Build-time configuration only. Runtime settings (MESHVIZ_API_URL) are read by src/config.ts at request time,
 * so one build runs against any API.
 */
const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The workspace package ships compiled ESM in dist/, so nothing needs transpiling here.
};

export default nextConfig;
