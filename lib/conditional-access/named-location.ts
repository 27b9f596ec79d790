import { DataAzureadNamedLocation } from '@cdktf/provider-azuread/lib/data-azuread-named-location';
import { NamedLocation as NamedLocationResource } from '@cdktf/provider-azuread/lib/named-location';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { namedLocationProblems, normalizeNamedLocation, type NamedLocationModel, type NamedLocationProps } from '../model/named-location';
import { IMPORT_ID } from '../model/adoption';
import { throwIfProblems } from '../model/problem';
import { TerraformImport } from '../private/terraform-import';

export type { NamedLocationProps } from '../model/named-location';

/**
 * A named location of conditional access: IP ranges or countries declared here
 * (`azuread_named_location`, the construct's default child), or an existing one read by its
 * display name at plan time (`data.azuread_named_location`), so a wrong name fails the plan.
 * Policies name it by `objectId` (the bare GUID the policy's location lists take).
 */
export class NamedLocation extends Construct {
  /** The named location's object ID. */
  public readonly objectId: string;
  /** The props with defaults applied. */
  public readonly model: NamedLocationModel;

  constructor(scope: Construct, id: string, props: NamedLocationProps) {
    super(scope, id);
    throwIfProblems(`NamedLocation (${this.node.path})`, namedLocationProblems(props, Token.isUnresolved));
    const m = normalizeNamedLocation(props);
    this.model = m;
    if (m.kind === 'existing') {
      this.objectId = new DataAzureadNamedLocation(this, 'Default', { displayName: m.displayName }).objectId;
      return;
    }
    const location = new NamedLocationResource(this, 'Default', {
      displayName: m.displayName,
      ...(m.kind === 'ip'
        ? { ip: { ipRanges: [...m.ipRanges], trusted: m.trusted ? true : undefined } }
        : {
            // country_lookup_method is written even at its default, so Graph's answer never differs from the config.
            country: {
              countriesAndRegions: [...m.countries],
              includeUnknownCountriesAndRegions: m.includeUnknownCountries ? true : undefined,
              countryLookupMethod: m.countryLookup,
            },
          }),
    });
    if (m.import) TerraformImport.into(location, IMPORT_ID.namedLocation(m.import.namedLocationId));
    this.objectId = location.objectId;
  }
}
