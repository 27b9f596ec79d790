import { Group } from '@cdktf/provider-azuread/lib/group';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { TerraformImport } from '../private/terraform-import';
import { IMPORT_ID } from '../model/adoption';
import { objectIdProblem } from '../model/ids';
import { throwIfProblems } from '../model/problem';
import { normalizeSecurityGroup, securityGroupProblems, type SecurityGroupProps } from '../model/security-group';

export type { SecurityGroupProps } from '../model/security-group';

/** An Entra ID security group, declared here or existing in the tenant. */
export interface ISecurityGroup {
  /** The group's object ID (a GUID; a deploy-time token when the group is declared here). */
  readonly groupObjectId: string;
}

/**
 * A security group (security-enabled, not mail-enabled: Graph cannot create mail-enabled security
 * groups), for example the pilot group a conditional access policy targets.
 *
 * The `azuread_group` resource is the construct's default child: its Terraform address is the
 * construct's id (e.g. `azuread_group.mfa-group` directly in a stack), which is therefore public API.
 */
export class SecurityGroup extends Construct implements ISecurityGroup {
  /**
   * Refers to an existing group by object ID, declaring nothing.
   * @throws Error when `groupObjectId` is a literal that is not a UUID
   */
  public static fromGroupObjectId(groupObjectId: string): ISecurityGroup {
    if (!Token.isUnresolved(groupObjectId))
      throwIfProblems(
        'SecurityGroup.fromGroupObjectId',
        objectIdProblem(groupObjectId, 'group') ? [{ path: ['groupObjectId'], message: objectIdProblem(groupObjectId, 'group')! }] : [],
      );
    return { groupObjectId };
  }

  public readonly groupObjectId: string;

  /** The `azuread_group` resource, for settings this construct does not expose. */
  public readonly resource: Group;

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    throwIfProblems(`SecurityGroup (${this.node.path})`, securityGroupProblems(props, Token.isUnresolved));
    const g = normalizeSecurityGroup(props);
    this.resource = new Group(this, 'Default', {
      displayName: g.displayName,
      description: g.description,
      securityEnabled: true,
      mailEnabled: false,
      preventDuplicateNames: g.preventDuplicateNames,
      // Emit only what is set: an empty list would make Terraform manage the list and empty it.
      members: g.members.length > 0 ? [...g.members] : undefined,
      owners: g.owners.length > 0 ? [...g.owners] : undefined,
      assignableToRole: g.assignableToRole ? true : undefined,
    });
    this.groupObjectId = this.resource.objectId;
  }

  /**
   * Takes over a group made in the portal: synthesis writes a Terraform import block
   * (`/groups/{id}`, the provider's import ID), so the first apply imports it instead of creating one.
   * @throws InvalidPropsError when `groupObjectId` is not a group object ID
   */
  public importExisting(groupObjectId: string): void {
    const why = objectIdProblem(groupObjectId, 'group');
    throwIfProblems(`SecurityGroup (${this.node.path})`, why ? [{ path: ['groupObjectId'], message: why }] : []);
    TerraformImport.into(this.resource, IMPORT_ID.group(groupObjectId));
  }
}
