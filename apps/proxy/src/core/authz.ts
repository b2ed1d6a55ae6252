/**
 * What the inbound policy decided for one request (or opaque connection). Decisions are built once per policy,
 * when it is compiled, one for each route × authorization that can allow, one per route for a denial and one per
 * server for a request no route matches; a request picks one and costs no allocation. The stages below the decide
 * stage read it from HttpTarget.authz: the metrics stage adds its labels, the enforce stage acts on `outcome`, tap
 * shows it.
 */
export interface AuthzDecision {
  readonly outcome: 'allow' | 'deny' | 'route_not_found';
  /** Allowed by an audit authorization: what a deny would have refused. */
  readonly audit: boolean;
  /**
   * srv_kind, srv_name, srv_port, route_kind, route_name, authz_kind, authz_name (HTTP); srv_* and authz_* (TCP).
   * authz_* are "" when denied, route_* "" when no route matched.
   */
  readonly labels: Readonly<Record<string, string>>;
  /** The label values joined: equal for equal labels, whatever policy revision built the decision. */
  readonly key: string;
  /** The server's label values joined, for bookkeeping per server (the client_id limit). */
  readonly serverKey: string;
  /** `kind/name` of the server, route ("" when none matched) and authorization (null when none allowed). */
  readonly server: string;
  readonly route: string;
  readonly authorization: string | null;
}
