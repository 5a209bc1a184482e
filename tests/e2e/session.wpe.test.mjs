// The scoring session (session.mjs) in wpe; see engines.mjs for how it is driven.
import { describeEngine } from './session.mjs';

describeEngine('wpe');
