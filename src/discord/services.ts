/** Building the `Services` every handler gets; each adapter supplies its own messenger. */
import type { Library } from '../library/types.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../state/types.ts';
import type { Clock, CommandModule, LibraryHolder, Messenger, Services } from './port.ts';

/** A holder whose library a reload can swap while commands keep running. */
export function createLibraryHolder(initial: Library): LibraryHolder {
  let library = initial;
  return {
    current: () => library,
    replace: (next) => {
      library = next;
    },
  };
}

export interface ServiceParts {
  readonly library: LibraryHolder;
  readonly store: Store;
  readonly logger: Logger;
  readonly messenger: Messenger;
  readonly clock: Clock;
  readonly commands: readonly CommandModule[];
}

export function createServices(parts: ServiceParts): Services {
  return { ...parts };
}
