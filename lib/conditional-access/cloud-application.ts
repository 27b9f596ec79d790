import { APPLICATION_ALIASES } from './values';

/**
 * A target resource ("cloud app") of a conditional access policy: a Graph keyword or a client
 * (application) ID. Graph rejects display names and object IDs here.
 */
export class CloudApplication {
  /** "Microsoft Azure Management" (the Windows Azure Service Management API): the manual's choice. */
  public static readonly MICROSOFT_AZURE_MANAGEMENT = new CloudApplication(APPLICATION_ALIASES.MicrosoftAzureManagement.clientId);
  /** Every resource ("All resources", formerly "All cloud apps"). */
  public static readonly ALL = new CloudApplication('All');
  /** The Office 365 app group (Exchange Online, SharePoint Online, Teams, ...). */
  public static readonly OFFICE_365 = new CloudApplication('Office365');
  /** The Microsoft admin portals (Azure portal, Entra and Microsoft 365 admin centers, ...). */
  public static readonly MICROSOFT_ADMIN_PORTALS = new CloudApplication('MicrosoftAdminPortals');

  /**
   * Any application by its client (application) ID, e.g. the ITSM tool's own app registration.
   * Not its object ID and not its display name: Graph rejects both.
   */
  public static fromClientId(clientId: string): CloudApplication {
    return new CloudApplication(clientId);
  }

  /** The value sent to Graph: a keyword or a client ID. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}
