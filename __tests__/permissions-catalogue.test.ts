import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  type ApiName,
  KnownApi,
  type LookupResult,
  type PermissionInfo,
  type PermissionType,
  allPermissions,
  lookupPermission,
} from '../lib/permissions/catalogue';
import exchangeOnline from '../lib/permissions/data/exchange-online.json';
import microsoftGraph from '../lib/permissions/data/microsoft-graph.generated.json';

const DATA_DIR = join(__dirname, '..', 'lib', 'permissions', 'data');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function found(result: LookupResult): PermissionInfo {
  if (!result.ok) throw new Error(`expected a permission, got: ${result.message}`);
  return result.permission;
}

function failure(result: LookupResult): string {
  if (result.ok) throw new Error(`expected a failure, got ${result.permission.api} ${result.permission.name}`);
  return result.message;
}

describe('lookupPermission', () => {
  describe('given a known Microsoft Graph permission', () => {
    it.each<[PermissionType, string, string]>([
      ['application', 'Mail.Read', '810c84a8-4a9e-49e6-bf7d-12d183f40d01'],
      ['delegated', 'Mail.Read', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca'],
      ['delegated', 'offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182'],
      ['delegated', 'IMAP.AccessAsUser.All', '652390e4-393a-48de-9484-05f9b1212954'],
      ['delegated', 'POP.AccessAsUser.All', 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991'],
      ['delegated', 'SMTP.Send', '258f6531-6087-4cc4-bb90-092c5fb3ed3f'],
      ['delegated', 'User.Read', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'],
    ])('returns the %s permission %s with id %s', (type, name, id) => {
      const permission = found(lookupPermission('MicrosoftGraph', type, name));
      expect(permission).toEqual(
        expect.objectContaining({
          api: 'MicrosoftGraph',
          resourceAppId: '00000003-0000-0000-c000-000000000000',
          name,
          type,
          id,
          idVerified: true,
        }),
      );
      expect(permission.displayName).not.toBe('');
    });

    it('reports whether admin consent is required', () => {
      expect(found(lookupPermission('MicrosoftGraph', 'application', 'Mail.Read')).adminConsentRequired).toBe(true);
      expect(found(lookupPermission('MicrosoftGraph', 'delegated', 'Mail.Read')).adminConsentRequired).toBe(false);
      expect(found(lookupPermission('MicrosoftGraph', 'delegated', 'Directory.ReadWrite.All')).adminConsentRequired).toBe(true);
    });

    it('returns the same frozen object every time', () => {
      const first = found(lookupPermission('MicrosoftGraph', 'delegated', 'SMTP.Send'));
      expect(found(lookupPermission('MicrosoftGraph', 'delegated', 'SMTP.Send'))).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    });
  });

  describe('given a known Office 365 Exchange Online permission', () => {
    it.each<[PermissionType, string, string, boolean]>([
      ['application', 'IMAP.AccessAsApp', '5e5addcd-3e8d-4e90-baf5-964efab2b20a', true],
      ['application', 'POP.AccessAsApp', 'cb842b43-da6e-4506-86fe-bb12199c656d', true],
      ['application', 'SMTP.SendAsApp', '7146a1f0-8703-45b3-9eae-527a64c00995', false],
      ['application', 'full_access_as_app', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', true],
      ['application', 'Exchange.ManageAsApp', 'dc50a0fb-09a3-484d-be87-e023b12c6440', true],
      ['delegated', 'EWS.AccessAsUser.All', '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5', true],
    ])('returns the %s permission %s with id %s (idVerified %s)', (type, name, id, idVerified) => {
      expect(found(lookupPermission('ExchangeOnline', type, name))).toEqual(
        expect.objectContaining({
          api: 'ExchangeOnline',
          resourceAppId: '00000002-0000-0ff1-ce00-000000000000',
          name,
          type,
          id,
          idVerified,
        }),
      );
    });

    it('keeps the Exchange Online and Microsoft Graph permissions of the same name apart', () => {
      const exchange = found(lookupPermission('ExchangeOnline', 'delegated', 'EWS.AccessAsUser.All'));
      const graph = found(lookupPermission('MicrosoftGraph', 'delegated', 'EWS.AccessAsUser.All'));
      expect(exchange.id).not.toBe(graph.id);
      expect(graph.resourceAppId).toBe(KnownApi.MicrosoftGraph.resourceAppId);
    });
  });

  describe('given the wrong permission type', () => {
    it('fails when an application permission is asked for as delegated, naming its real type', () => {
      expect(failure(lookupPermission('ExchangeOnline', 'delegated', 'IMAP.AccessAsApp'))).toBe(
        '"IMAP.AccessAsApp" is an application permission of Office 365 Exchange Online, not a delegated one',
      );
    });

    it('fails when a delegated-only Graph scope is asked for as an application permission', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'application', 'offline_access'))).toBe(
        '"offline_access" is a delegated permission of Microsoft Graph, not an application one',
      );
    });
  });

  describe('given a permission of the other API', () => {
    it('fails when an Exchange Online role is asked for on Microsoft Graph, saying where it belongs', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'application', 'IMAP.AccessAsApp'))).toBe(
        '"IMAP.AccessAsApp" is an Office 365 Exchange Online application permission, not Microsoft Graph',
      );
    });

    it('fails when a Graph permission is asked for on Exchange Online, listing what the partial catalogue holds', () => {
      const message = failure(lookupPermission('ExchangeOnline', 'application', 'Mail.Send'));
      expect(message).toBe(
        '"Mail.Send" is a Microsoft Graph delegated and application permission, not Office 365 Exchange Online; ' +
          "this project's Office 365 Exchange Online catalogue lists only the application permissions " +
          '"Exchange.ManageAsApp", "IMAP.AccessAsApp", "POP.AccessAsApp", "SMTP.SendAsApp", "full_access_as_app"',
      );
    });
  });

  describe('given a misspelt name', () => {
    it('fails when the name has a typo, suggesting the nearest name', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'delegated', 'Mail.Raed'))).toBe(
        'unknown Microsoft Graph delegated permission "Mail.Raed" (did you mean "Mail.Read"?)',
      );
    });

    it('fails when only the casing is wrong, suggesting the right casing', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'delegated', 'mail.read'))).toBe(
        'unknown Microsoft Graph delegated permission "mail.read" (names are case-sensitive; did you mean "Mail.Read"?)',
      );
      expect(failure(lookupPermission('ExchangeOnline', 'application', 'smtp.sendasapp'))).toContain('did you mean "SMTP.SendAsApp"?');
    });

    it('fails when the misspelt name belongs to the other API, suggesting it and saying where it belongs', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'application', 'imap.accessasapp'))).toBe(
        'unknown Microsoft Graph application permission "imap.accessasapp" (did you mean "IMAP.AccessAsApp"? ' +
          '"IMAP.AccessAsApp" is an Office 365 Exchange Online application permission, not Microsoft Graph)',
      );
      expect(failure(lookupPermission('MicrosoftGraph', 'application', 'SMTP.SendAsAp'))).toContain(
        'did you mean "SMTP.SendAsApp"? "SMTP.SendAsApp" is an Office 365 Exchange Online application permission',
      );
    });

    it('fails without a suggestion when nothing is close', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'delegated', 'Zzzzzzzzzzzzzzzz'))).toBe(
        'unknown Microsoft Graph delegated permission "Zzzzzzzzzzzzzzzz"',
      );
      expect(failure(lookupPermission('ExchangeOnline', 'delegated', 'Zzzzzzzzzzzzzzzz'))).toBe(
        'unknown Office 365 Exchange Online delegated permission "Zzzzzzzzzzzzzzzz"; ' +
          'this project\'s Office 365 Exchange Online catalogue lists only the delegated permissions "EWS.AccessAsUser.All"',
      );
    });
  });

  describe('given invalid arguments', () => {
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
      'fails for the object property name %s instead of returning something that is not a permission',
      (name) => {
        expect(lookupPermission('MicrosoftGraph', 'delegated', name).ok).toBe(false);
        expect(lookupPermission('ExchangeOnline', 'application', name).ok).toBe(false);
      },
    );

    it('fails when the name is empty', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'delegated', ''))).toBe('Microsoft Graph delegated permission name must be a non-empty string, got ""');
    });

    it('fails when the API is unknown, suggesting the nearest one', () => {
      expect(failure(lookupPermission('MicrosoftGrpah' as ApiName, 'delegated', 'Mail.Read'))).toBe(
        'unknown API "MicrosoftGrpah" (did you mean "MicrosoftGraph"?); known: "MicrosoftGraph", "ExchangeOnline"',
      );
    });

    it('fails when the permission type is unknown', () => {
      expect(failure(lookupPermission('MicrosoftGraph', 'Role' as PermissionType, 'Mail.Read'))).toBe(
        'unknown permission type "Role"; expected "delegated" or "application"',
      );
    });
  });
});

describe('allPermissions', () => {
  it.each<[ApiName, PermissionType, number]>([
    ['MicrosoftGraph', 'delegated', 598],
    ['MicrosoftGraph', 'application', 534],
    ['ExchangeOnline', 'delegated', 1],
    ['ExchangeOnline', 'application', 5],
  ])('lists every %s %s permission (%d), sorted by name, with unique GUID ids', (api, type, count) => {
    const permissions = allPermissions(api, type);
    expect(permissions).toHaveLength(count);
    const names = permissions.map((p) => p.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(permissions.map((p) => p.id)).size).toBe(count);
    for (const permission of permissions) {
      expect(permission.id).toMatch(GUID);
      expect(permission).toEqual(expect.objectContaining({ api, type, resourceAppId: KnownApi[api].resourceAppId }));
      expect(found(lookupPermission(api, type, permission.name))).toBe(permission);
    }
  });

  it('marks every application permission as requiring admin consent', () => {
    for (const api of ['MicrosoftGraph', 'ExchangeOnline'] as const) {
      expect(allPermissions(api, 'application').filter((p) => !p.adminConsentRequired)).toEqual([]);
    }
  });

  it('returns a frozen list that callers cannot change', () => {
    const permissions = allPermissions('ExchangeOnline', 'application');
    expect(Object.isFrozen(permissions)).toBe(true);
    expect(allPermissions('ExchangeOnline', 'application')).toBe(permissions);
  });

  it('throws when the API is unknown', () => {
    expect(() => allPermissions('Graph' as ApiName, 'delegated')).toThrow('unknown API "Graph"');
  });
});

describe('catalogue data', () => {
  it('names the upstream source, commit and license of the generated Microsoft Graph data', () => {
    expect(microsoftGraph.source).toEqual(
      expect.objectContaining({
        repository: 'microsoftgraph/microsoft-graph-devx-content',
        path: 'permissions/permissions-descriptions.json',
        commit: '6cbd6bbd665a877560fdefbad74f3bdb5b57af88',
        license: 'MIT',
        copyright: 'Copyright (c) 2020 Microsoft Graph',
        licenseFile: 'microsoft-graph.LICENSE',
      }),
    );
    expect(microsoftGraph.source.note).toContain('generated by scripts/generate-permission-catalogue.mjs; do not edit by hand');
  });

  it('ships the upstream MIT license next to the generated data', () => {
    const license = readFileSync(join(DATA_DIR, microsoftGraph.source.licenseFile), 'utf8');
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain(microsoftGraph.source.copyright);
  });

  it('says the Exchange Online data is hand-curated and cites a listed source for every id', () => {
    expect(exchangeOnline.source.kind).toBe('hand-curated');
    expect(exchangeOnline.source.note).toContain('NOT generated');
    const sources = Object.keys(exchangeOnline.source.sources);
    for (const entry of [...Object.values(exchangeOnline.delegated), ...Object.values(exchangeOnline.application)]) {
      if (entry.idVerified) expect(sources).toContain(entry.idSource);
      else expect(entry.idSource).toMatch(/^unconfirmed/);
    }
  });

  it.each<[ApiName, { resourceAppId: string; resourceDisplayName: string }]>([
    ['MicrosoftGraph', microsoftGraph],
    ['ExchangeOnline', exchangeOnline],
  ])('agrees with KnownApi on the %s resource', (api, data) => {
    expect(data.resourceAppId).toBe(KnownApi[api].resourceAppId);
    expect(data.resourceDisplayName).toBe(KnownApi[api].displayName);
  });
});
