// The scoring session (session.mjs) in webkitgtk; see engines.mjs for how it is driven.
import { describeEngine } from './session.mjs';

describeEngine('webkitgtk');
