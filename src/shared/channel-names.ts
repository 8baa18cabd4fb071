/**
 * The contract's channel and event names as plain strings, for the preload allow-list (which
 * must stay tiny and cannot pull in zod). A unit test keeps this equal to the contract.
 */
export const CHANNEL_ALLOW_LIST = [
  'app:info',
  'cases:list',
  'cases:create',
  'cases:update',
  'cases:delete',
  'sessions:create',
  'sessions:update',
  'sessions:delete',
  'sessions:get',
  'sessions:savePosition',
  'recordings:import',
  'imports:list',
  'imports:cancel',
  'recordings:update',
  'recordings:remove',
  'recordings:relink',
  'recordings:peaks',
  'dialogs:openMedia',
] as const;

export const EVENT_ALLOW_LIST = ['import:progress', 'import:finished'] as const;
