// Conditional access: re-exports only.
export * from './values';
export * from './cloud-application';
export * from './authentication-strength';
export * from './sign-in-frequency';
export * from './security-group';
export * from './mfa-conditional-access-policy';
export {
  mfaPolicyProblems,
  mfaPolicyFieldProblems,
  mfaPolicyCombinationProblems,
  securityGroupProblems,
  type MfaPolicyRuleInput,
  type PolicyProblem,
} from './rules';
