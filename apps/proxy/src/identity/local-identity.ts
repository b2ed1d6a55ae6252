import tls, { type SecureContext, type SecureContextOptions } from 'node:tls';

/** What certification yields: the private key (made in this process, never sent anywhere) and the chain. */
export interface IdentityMaterial {
  readonly keyPem: string;
  /** The leaf, then the intermediates (the issuer), PEM. */
  readonly chainPem: string;
  readonly notAfter: Date;
}

/** Endpoints whose TLS session is kept for resumption; a session is ~2 KB (it holds the peer's certificate). */
const MAX_SESSIONS = 1024;

/**
 * This proxy's workload identity: its name, the mesh's trust anchors and, once certified, its key and chain. The
 * TLS contexts are built once per certificate, so connections share them; a renewal swaps them for connections
 * opened afterwards while open ones keep theirs. Until the first certificate arrives the identity is not ready:
 * /ready says 503, inbound handshakes fail, and outbound mTLS fails with identity_not_ready.
 */
export class LocalIdentity {
  private material: IdentityMaterial | undefined;
  private client: SecureContext | undefined;
  /** TLS sessions the client side may resume, by endpoint (identity and address), least recently stored first. */
  private readonly sessions = new Map<string, Buffer>();
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    private anchorsPem: string,
  ) {}

  get ready(): boolean {
    return this.material !== undefined;
  }

  get anchors(): string {
    return this.anchorsPem;
  }

  /** The current certificate's notAfter, or undefined before the first one. */
  get expiresAt(): Date | undefined {
    return this.material?.notAfter;
  }

  /** TLS 1.3 with this identity's certificate, trusting only the mesh's anchors. */
  contextOptions(): SecureContextOptions {
    const m = this.material;
    if (!m) throw new Error('the proxy holds no certificate yet');
    return { key: m.keyPem, cert: m.chainPem, ca: this.anchorsPem, minVersion: 'TLSv1.3' };
  }

  /** The client side's shared context (outbound mTLS). */
  clientContext(): SecureContext {
    this.client ??= tls.createSecureContext(this.contextOptions());
    return this.client;
  }

  /**
   * The session to offer when connecting to `endpoint` again. Resuming skips the certificate messages, their
   * signatures and the chain checks on both proxies; the peer's identity is still checked, against the
   * certificate the session was made with.
   */
  session(endpoint: string): Buffer | undefined {
    return this.sessions.get(endpoint);
  }

  /** Keeps the newest session (ticket) for `endpoint`, for at most MAX_SESSIONS endpoints. */
  keepSession(endpoint: string, session: Buffer): void {
    this.sessions.delete(endpoint);
    this.sessions.set(endpoint, session);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  /** A new certificate (renewal) or a new anchor bundle (rotation): new connections use it from now on. */
  update(change: { material?: IdentityMaterial; anchorsPem?: string }): void {
    if (change.material) this.material = change.material;
    if (change.anchorsPem !== undefined) this.anchorsPem = change.anchorsPem;
    this.client = undefined;
    // Sessions were made with the old certificate and checked against the old anchors: handshake in full again.
    this.sessions.clear();
    if (this.material) for (const listener of this.listeners) listener();
  }

  /** Called after every change once certified (the inbound TLS server swaps its context). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
