import { TerraformElement, type TerraformResource } from 'cdktf';

/**
 * A Terraform `import` block (Terraform 1.5+) that takes an existing object into `resource`: the
 * same JSON as cdktf's `TerraformResource.importFrom` writes (`import: [{ to, id }]` at the top of
 * the stack's document; fragments of several elements are concatenated), but without the
 * validation `importFrom` adds, which runs `terraform version` at every synthesis, once per import,
 * and fails synthesis where no terraform is installed. Synthesis here needs no terraform; the JSON
 * already needs Terraform 1.5 or later to plan (`plantimestamp()`), which README states.
 *
 * A child of the resource it imports into, so it goes wherever the resource goes; `to` is the
 * resource's address at synthesis, after any `overrideLogicalId`.
 */
export class TerraformImport extends TerraformElement {
  /** Declares that `resource` is imported from the provider's import ID `importId`. */
  public static into(resource: TerraformResource, importId: string): TerraformImport {
    return new TerraformImport(resource, 'import', resource, importId);
  }

  private constructor(
    scope: TerraformResource,
    id: string,
    private readonly resource: TerraformResource,
    /** The provider's import ID, e.g. `/applications/<object ID>`. */
    public readonly importId: string,
  ) {
    super(scope, id);
  }

  public override toTerraform(): { import: { to: string; id: string }[] } {
    return { import: [{ to: `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`, id: this.importId }] };
  }
}
