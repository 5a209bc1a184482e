// The scoring session (session.mjs) in chromium; see engines.mjs for how it is driven.
import { describeEngine } from './session.mjs';

describeEngine('chromium');
