import { DefaultPolicy, ProxyProtocol } from '@meshviz/mesh-types';
import { z } from 'zod';
import { isPortName, PORT_NAME, PortNumber } from './names.js';
import { LabelSelector, policyResource } from './resource-meta.js';

/** Server (policy.meshviz.io/v1): a port of the pods a selector picks, and what its requests get by default. */

const PORT_NAME_RULE = 'a container port name is lower-case letters, digits and "-", at most 15 characters, with a letter';
const PortName = z.string().max(15, PORT_NAME_RULE).regex(PORT_NAME, PORT_NAME_RULE).refine(isPortName, PORT_NAME_RULE);

export const ServerSpec = z.strictObject({
  podSelector: LabelSelector.describe('The pods this Server covers, in its own namespace.'),
  port: z
    .union([PortNumber, PortName], {
      error: 'must be a port number (1-65535) or a container port name (e.g. "http": lower-case, at most 15 characters)',
    })
    .describe('The port: its number, or the name of a container port of the selected pods.'),
  proxyProtocol: ProxyProtocol.default('unknown').describe('How the proxy reads connections to the port.'),
  accessPolicy: DefaultPolicy.default('deny').describe('What requests that no AuthorizationPolicy allows get.'),
});

export const Server = policyResource('Server', ServerSpec);
export type Server = z.infer<typeof Server>;
