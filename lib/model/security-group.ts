/**
 * An Entra ID security group declared here, such as the pilot group a conditional access policy
 * targets: the model behind the config's `group.create` and the `SecurityGroup` construct.
 */
import { graphId, objectIdProblem, type ObjectIdKind } from './ids';
import { NOTHING_UNRESOLVED, problemAt, repeated, type IsUnresolved, type Problem } from './problem';
import { textProblem } from './text';
import { runRules, type RuleSet } from './rules';

/** The props of `SecurityGroup`, and the config's `group.create`. */
export interface SecurityGroupProps {
  /**
   * Display name of the group. Duplicate names are refused at deploy time
   * (`prevent_duplicate_names`), so an existing group of that name is never shadowed.
   */
  readonly displayName: string;
  /**
   * Description shown in the Entra admin center.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Members by object ID (users, groups, devices or service principals). When non-empty,
   * Terraform owns the membership and removes members added in the portal.
   * @default - membership is not managed here
   */
  readonly members?: readonly string[];
  /**
   * Owners by object ID (users or service principals).
   * @default - the identity that deploys becomes the owner (the provider's behaviour)
   */
  readonly owners?: readonly string[];
  /**
   * Whether Entra ID roles can be assigned to the group. Only at creation (changing it replaces
   * the group); creating such a group needs RoleManagement.ReadWrite.Directory.
   * @default false
   */
  readonly assignableToRole?: boolean;
  /**
   * Fail at deploy time rather than create a group whose name is taken. Terraform's own flag, kept
   * only in its state: an adopted group (imported, whose name is its own) may leave it off so
   * the first plan changes nothing.
   * @default true
   */
  readonly preventDuplicateNames?: boolean;
}

/** `SecurityGroupProps` with defaults applied; object IDs in lower case, as Graph returns them. */
export interface SecurityGroupModel {
  readonly displayName: string;
  readonly description?: string;
  readonly members: readonly string[];
  readonly owners: readonly string[];
  readonly assignableToRole: boolean;
  readonly preventDuplicateNames: boolean;
}

/** Applies the defaults. */
export function normalizeSecurityGroup(props: SecurityGroupProps): SecurityGroupModel {
  return {
    displayName: props.displayName,
    ...(props.description !== undefined ? { description: props.description } : {}),
    // The provider reads members and owners back from Graph (lower case) into sets of text.
    members: (props.members ?? []).map(graphId),
    owners: (props.owners ?? []).map(graphId),
    assignableToRole: props.assignableToRole ?? false,
    preventDuplicateNames: props.preventDuplicateNames ?? true,
  };
}

/** Owners per group (the provider's MaxItems). */
export const MAX_GROUP_OWNERS = 100;

/** The group's rules, one entry per field. */
export const SECURITY_GROUP_RULES: RuleSet<SecurityGroupProps> = {
  fields: {
    displayName: (p, u) =>
      u(p.displayName) ? [] : problemAt(['displayName'], p.displayName.trim() === '' ? 'must not be empty' : textProblem(p.displayName, 256)),
    description: (p, u) => (p.description === undefined || u(p.description) ? [] : problemAt(['description'], textProblem(p.description, 1024))),
    members: (p, u) => objectIdListProblems(p.members, ['members'], 'member', u),
    owners: (p, u) => [
      ...objectIdListProblems(p.owners, ['owners'], 'owner', u),
      ...((p.owners ?? []).length > MAX_GROUP_OWNERS
        ? [{ path: ['owners'], message: `has ${p.owners!.length} owners; a group may have at most ${MAX_GROUP_OWNERS} (the provider's limit)` }]
        : []),
    ],
    assignableToRole: null,
    preventDuplicateNames: null,
  },
  across: [],
};

/** Problems of a security group's props (paths relative to them). */
export function securityGroupProblems(props: SecurityGroupProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  return runRules(SECURITY_GROUP_RULES, props, isUnresolved);
}

/** Problems of a list of object IDs: each must be one, none repeated. */
export function objectIdListProblems(
  values: readonly string[] | undefined,
  path: readonly (string | number)[],
  kind: ObjectIdKind,
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
): Problem[] {
  if (!values) return [];
  const problems: Problem[] = [];
  values.forEach((v, i) => {
    if (!isUnresolved(v)) problems.push(...problemAt([...path, i], objectIdProblem(v, kind)));
  });
  return [...problems, ...repeated(values, path, kind)];
}
