import { fileURLToPath } from 'node:url';

/** Path of tap.proto, for @grpc/proto-loader on both sides of the tap stream (a Node-only entry point). */
export const TAP_PROTO_PATH = fileURLToPath(new URL('../proto/tap.proto', import.meta.url));
export const TAP_SERVICE = 'meshviz.tap.v1.Tap';
