import { addApplicationOutputs } from '../application/application-outputs';
import { ItsmMailApplication, type ItsmMailApplicationProps } from '../application/itsm-mail-application';
import type { ItsmMailStack } from '../itsm-mail-stack';
import type { ApplicationConfig } from './application-schema';

/** Construct ID of the application in each stack: part of every Terraform address below it. */
export const APPLICATION_CONSTRUCT_ID = 'itsm-mail';

/** Maps a validated `application` section to the construct's props. */
export function applicationProps(config: ApplicationConfig): ItsmMailApplicationProps {
  return {
    displayName: config.displayName,
    description: config.description,
    notes: config.notes,
    signInAudience: config.signInAudience,
    owners: config.owners,
    assignedPrincipals: config.assignedPrincipals,
    includeDeployerAsOwner: config.includeDeployerAsOwner,
    preventDuplicateNames: config.preventDuplicateNames,
    redirectUris: config.redirectUris,
    mailAccess: config.mail,
    permissions: config.permissions,
    adminConsent: config.adminConsent,
    clientSecretLifetimeDays: config.clientSecret.lifetimeDays,
    exposedScope: config.exposeApi
      ? {
          value: config.exposedScope?.value,
          adminConsentDisplayName: config.exposedScope?.adminConsentDisplayName,
          adminConsentDescription: config.exposedScope?.adminConsentDescription,
          userConsentDisplayName: config.exposedScope?.userConsentDisplayName,
          userConsentDescription: config.exposedScope?.userConsentDescription,
          consentType: config.exposedScope?.whoCanConsent === 'adminsAndUsers' ? 'User' : 'Admin',
        }
      : false,
  };
}

/** Declares the application of one environment and its outputs. */
export function addApplicationFromConfig(stack: ItsmMailStack, config: ApplicationConfig): ItsmMailApplication {
  const app = new ItsmMailApplication(stack, APPLICATION_CONSTRUCT_ID, applicationProps(config));
  addApplicationOutputs(stack, app);
  return app;
}
