import type { CompiledAuthentication, CompiledAuthorization } from '@meshviz/mesh-types';
import type { AuthzDecision } from '../core/authz.js';
import type { TlsStatus } from '../core/tls-status.js';
import { inNetworks, type Network, parseCidr, parsePeerAddress } from './cidr.js';

/** Who an authorization lets in, as a test of the connection's TLS status. */
type Authenticates = (tls: TlsStatus) => boolean;

interface Rule {
  readonly authenticates: Authenticates;
  /** Undefined: any address. */
  readonly networks: readonly Network[] | undefined;
  readonly decision: AuthzDecision;
}

/** Scratch for the peer's address: requests are decided one at a time, synchronously. */
const peerAddress = new Uint32Array(4);

/**
 * One ordered set of authorizations (a route's, or a port's for opaque connections) with its decisions. Audit
 * authorizations are tried last, so a client a real authorization allows is counted under it, not as an audit.
 */
export class Authorizer {
  private readonly rules: readonly Rule[];

  constructor(
    authorizations: readonly CompiledAuthorization[],
    allow: (authorization: CompiledAuthorization) => AuthzDecision,
    private readonly deny: AuthzDecision,
    where: string,
  ) {
    const ordered = [...authorizations.filter((a) => !a.audit), ...authorizations.filter((a) => a.audit)];
    this.rules = ordered.map((authorization) => ({
      authenticates: authentication(authorization.authentication),
      networks: networks(authorization, `${where}: authorization ${authorization.kind}/${authorization.name}`),
      decision: allow(authorization),
    }));
  }

  /** The first authorization that lets this client in from `peer` (host:port), or the denial. */
  decide(tls: TlsStatus, peer: string): AuthzDecision {
    let parsed = 0; // 0: not yet, 1: parsed, -1: not an address (no network matches it)
    for (const rule of this.rules) {
      if (!rule.authenticates(tls)) continue;
      if (rule.networks === undefined) return rule.decision;
      if (parsed === 0) parsed = parsePeerAddress(peer, peerAddress) ? 1 : -1;
      if (parsed === 1 && inNetworks(rule.networks, peerAddress)) return rule.decision;
    }
    return this.deny;
  }
}

const anyone: Authenticates = () => true;
const anyMeshClient: Authenticates = (tls) => tls.secured;

function authentication(authn: CompiledAuthentication): Authenticates {
  switch (authn.kind) {
    case 'unauthenticated':
      return anyone;
    case 'tls':
      return anyMeshClient;
    case 'identities': {
      const names = new Set(authn.names);
      const suffixes = authn.suffixes;
      if (suffixes.includes('')) return anyMeshClient;
      return (tls) => {
        if (!tls.secured) return false;
        if (names.has(tls.peerId)) return true;
        for (const suffix of suffixes) if (tls.peerId.endsWith(suffix)) return true;
        return false;
      };
    }
  }
}

function networks(authorization: CompiledAuthorization, where: string): Network[] | undefined {
  if (authorization.networks.length === 0) return undefined;
  try {
    return authorization.networks.map((n) => ({ cidr: parseCidr(n.cidr), except: n.except.map(parseCidr) }));
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}
