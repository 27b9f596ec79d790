import type { Construct } from 'constructs';
import { addOutput } from '../private/terraform-output';
import type { ConditionalAccessPolicy } from './conditional-access-policy';

/**
 * The outputs of an environment's conditional access policy: its object ID, its state and the
 * object ID of the group it targets (when it targets one). Output names are public API.
 */
export function addMfaPolicyOutputs(scope: Construct, policy: ConditionalAccessPolicy): void {
  const out = (id: string, value: unknown, description: string) => addOutput(scope, id, value, description);
  out('mfa_policy_id', policy.policyId, `Object ID of the conditional access policy "${policy.model.displayName}"`);
  out('mfa_policy_state', policy.state, 'reportOnly, on or off: the policy is enforced only when on');
  if (policy.groupObjectId !== undefined)
    out('mfa_group_object_id', policy.groupObjectId, 'Object ID of the group the MFA policy targets: its members are the users who must use MFA');
}
