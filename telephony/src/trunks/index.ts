/** Trunks on the SIP side: the rate limit per source, inbound digest, outbound registration to the provider. */
export { createSourceGate, type SourceGate } from "./source-gate.ts";
export { SourceLimiter, type LimitReport, type SourceLimiterOptions, type Verdict } from "./source-limiter.ts";
export { TrunkDigest, type DigestCheck } from "./inbound-digest.ts";
export { ProviderRegistration, grantedSeconds, registrarUri, type ProviderAccount, type RegistrationReport } from "./provider-registration.ts";
export { TrunkRegistrations, type TrunkRegistrationsOptions } from "./trunk-registrations.ts";
export { TrustedSources } from "./trusted-sources.ts";
