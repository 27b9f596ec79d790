/** Lower- or upper-case hex UUID in the 8-4-4-4-12 form that Entra ID uses for every ID. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
