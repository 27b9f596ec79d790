import { BUILT_IN_AUTHENTICATION_STRENGTHS } from './values';

/**
 * "Require authentication strength" in a policy's grant controls: which combinations of methods
 * satisfy it. Replaces "Require multifactor authentication"; Graph refuses both in one policy.
 */
export class AuthenticationStrength {
  /** Built-in "Multifactor authentication": any MFA method, as "Require multifactor authentication". */
  public static readonly MULTIFACTOR = new AuthenticationStrength(BUILT_IN_AUTHENTICATION_STRENGTHS.multifactor.policyId);
  /** Built-in "Passwordless MFA": e.g. Microsoft Authenticator phone sign-in, FIDO2, Windows Hello. */
  public static readonly PASSWORDLESS_MFA = new AuthenticationStrength(BUILT_IN_AUTHENTICATION_STRENGTHS.passwordlessMfa.policyId);
  /** Built-in "Phishing-resistant MFA": FIDO2, Windows Hello for Business, certificates (CISA SCuBA MS.AAD.3.1). */
  public static readonly PHISHING_RESISTANT_MFA = new AuthenticationStrength(BUILT_IN_AUTHENTICATION_STRENGTHS.phishingResistantMfa.policyId);

  /**
   * A custom authentication strength of the tenant, by its ID
   * `/policies/authenticationStrengthPolicies/<uuid>` (the `id` of `azuread_authentication_strength_policy`).
   */
  public static fromPolicyId(policyId: string): AuthenticationStrength {
    return new AuthenticationStrength(policyId);
  }

  /** The value of `authentication_strength_policy_id`. */
  public readonly policyId: string;

  private constructor(policyId: string) {
    this.policyId = policyId;
  }
}
