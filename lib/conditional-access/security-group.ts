import { Group } from '@cdktf/provider-azuread/lib/group';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { formatPolicyProblems, objectIdProblem, securityGroupProblems } from './rules';

/** An Entra ID security group, declared here or existing in the tenant. */
export interface ISecurityGroup {
  /** The group's object ID (a GUID; a deploy-time token when the group is declared here). */
  readonly groupObjectId: string;
}

export interface SecurityGroupProps {
  /**
   * Display name of the group.
   *
   * Duplicate names are refused at deploy time (`prevent_duplicate_names`), so an existing group of
   * that name is never shadowed by a second one.
   */
  readonly displayName: string;
  /**
   * Description shown in the Entra admin center.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Members by object ID (users, groups, devices or service principals).
   *
   * When non-empty, Terraform owns the membership and removes members added in the portal. Leave
   * it unset (or empty) to manage membership in the portal or with another tool.
   * @default - membership is not managed here
   */
  readonly members?: readonly string[];
  /**
   * Owners by object ID (users or service principals).
   * @default - the identity that deploys becomes the owner (the provider's behaviour)
   */
  readonly owners?: readonly string[];
  /**
   * Whether Entra ID roles can be assigned to the group.
   *
   * Can only be chosen at creation (changing it replaces the group), and creating such a group
   * needs the RoleManagement.ReadWrite.Directory permission (or Privileged Role Administrator):
   * a more privileged deployer than the rest of this project.
   * @default false
   */
  readonly assignableToRole?: boolean;
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
  public static fromGroupObjectId(scope: Construct, id: string, groupObjectId: string): ISecurityGroup {
    if (!Token.isUnresolved(groupObjectId)) {
      const problem = objectIdProblem(groupObjectId, 'group');
      if (problem) throw new Error(formatPolicyProblems(`SecurityGroup.fromGroupObjectId (${scope.node.path}/${id})`, [{ path: ['groupObjectId'], message: problem }]));
    }
    class Import extends Construct implements ISecurityGroup {
      public readonly groupObjectId = groupObjectId;
    }
    return new Import(scope, id);
  }

  public readonly groupObjectId: string;

  /** The `azuread_group` resource, for settings this construct does not expose. */
  public readonly resource: Group;

  constructor(scope: Construct, id: string, props: SecurityGroupProps) {
    super(scope, id);
    const members = props.members ?? [];
    const owners = props.owners ?? [];
    const problems = securityGroupProblems({ displayName: props.displayName, members, owners }, Token.isUnresolved);
    if (problems.length > 0) throw new Error(formatPolicyProblems(`SecurityGroup (${this.node.path})`, problems));

    this.resource = new Group(this, 'Default', {
      displayName: props.displayName,
      description: props.description,
      securityEnabled: true,
      mailEnabled: false,
      preventDuplicateNames: true,
      // Emit only what is set: an empty list would make Terraform manage the list and empty it.
      members: members.length > 0 ? [...members] : undefined,
      owners: owners.length > 0 ? [...owners] : undefined,
      assignableToRole: props.assignableToRole === true ? true : undefined,
    });
    this.groupObjectId = this.resource.objectId;
  }
}
