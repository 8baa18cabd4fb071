import type { Core } from '../app';

/** What agreement needs of the core, by name. */
export type AgreementDeps = Pick<
  Core,
  'annotations' | 'library' | 'perspectiveRepos' | 'policy' | 'repos' | 'responses'
>;
