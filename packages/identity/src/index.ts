export { type CaMaterial, CaMaterialError, type CaOptions, checkCaMaterial, createIssuer, createTrustAnchor } from './authority.js';
export { type Certified, type Certifier, type CertifierOptions, refreshDelayMs, retryDelayMs, startCertifier } from './certifier.js';
export {
  type CertifyCall,
  CertifyError,
  certificateDnsNames,
  certify,
  expectServiceIdentity,
  type ServiceAddress,
} from './certify-client.js';
export { createCsr } from './csr.js';
export { IdentityError } from './errors.js';
export { type CertificateSummary, inspectCertificate, splitPemBundle } from './inspect.js';
export { anchorCommonName, assertTrustDomain, issuerCommonName } from './names.js';
export { createServingCertificate, type ServingCertificate, type ServingCertificateOptions } from './serving-cert.js';
export { type SignLeafOptions, signLeaf } from './sign-leaf.js';
export {
  checkTrustMaterial,
  readTrustFiles,
  TRUST_FILES,
  TrustFilesError,
  type TrustMaterial,
  writeTrustFiles,
} from './trust-files.js';
export { type ChainResult, verifyChain } from './verify-chain.js';
export {
  createWorkloadTokenKeyText,
  issueWorkloadToken,
  parseServiceAccountUsername,
  readWorkloadTokenKey,
  serviceAccountUsername,
  verifyWorkloadToken,
  type WorkloadRef,
} from './workload-token.js';
